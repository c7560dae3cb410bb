package sandbox.hubspot;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One webhook subscription of the sandbox app, as HubSpot's developer portal holds it: an event type such as
 * {@code contact.propertyChange} (or the generic {@code object.propertyChange} with an object type id), and for
 * property changes the property watched (null: every property, a sandbox convenience; HubSpot requires one).
 */
record WebhookSubscription(long id, HubSpotObjectType objectType, String change, String propertyName, boolean generic) {

    static final java.util.List<String> CHANGES = java.util.List.of("creation", "propertyChange", "deletion");

    /** {@code company.creation}, or {@code object.creation} for a generic subscription. */
    String eventType() {
        return (generic ? "object" : objectType.singular()) + "." + change;
    }

    boolean matches(HubSpotObjectType type, String changeName, String property) {
        return objectType == type && change.equals(changeName)
                && (propertyName == null || property == null || propertyName.equals(property));
    }

    Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", id);
        json.put("eventType", eventType());
        if (generic) {
            json.put("objectTypeId", objectType.typeId());
        }
        if (propertyName != null) {
            json.put("propertyName", propertyName);
        }
        json.put("active", true);
        return json;
    }
}
