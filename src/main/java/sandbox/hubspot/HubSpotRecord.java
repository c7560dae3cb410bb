package sandbox.hubspot;

import java.time.Instant;
import java.util.Map;

/**
 * One CRM record, immutable: property values as strings (HubSpot's wire form) in the type's property order. A change
 * makes a new instance, so a page or a search keeps the snapshot it read. The read-only properties
 * ({@code hs_object_id}, {@code createdate}, the modification date) are set from the record's own fields.
 */
final class HubSpotRecord {

    private final HubSpotObjectType type;
    private final long id;
    private final String[] values;
    private final Instant createdAt;
    private final Instant updatedAt;
    private final Instant archivedAt;
    /**
     * Values as search compares them, parsed on first use (a search filters and sorts every record, page after page);
     * {@link #NONE} once parsed to nothing. The parsed values are immutable, so a racing first use is harmless.
     */
    private final Object[] comparables;
    private static final Object NONE = new Object();

    private HubSpotRecord(HubSpotObjectType type, long id, String[] values, Instant createdAt, Instant updatedAt,
            Instant archivedAt) {
        this.type = type;
        this.id = id;
        this.values = values;
        this.createdAt = createdAt;
        this.updatedAt = updatedAt;
        this.archivedAt = archivedAt;
        this.comparables = new Object[values.length];
        values[type.require("hs_object_id").index()] = Long.toString(id);
        values[type.require("createdate").index()] = HubSpotJson.dateTime(createdAt);
        values[type.require(type.modifiedProperty()).index()] = HubSpotJson.dateTime(updatedAt);
    }

    /** A new record; {@code values} are property name to wire value, null or empty for none. */
    static HubSpotRecord created(HubSpotObjectType type, long id, Map<String, String> values, Instant at) {
        String[] array = new String[type.properties().size()];
        values.forEach((name, value) -> array[type.require(name).index()] = emptyToNull(value));
        return new HubSpotRecord(type, id, array, at, at, null);
    }

    /** A copy with the changes applied (an empty string clears a property) and modified at {@code at}. */
    HubSpotRecord updated(Map<String, String> changes, Instant at) {
        String[] copy = values.clone();
        changes.forEach((name, value) -> copy[type.require(name).index()] = emptyToNull(value));
        return new HubSpotRecord(type, id, copy, createdAt, at, null);
    }

    /** A copy moved to the recycle bin at {@code at}, which is also its last modification. */
    HubSpotRecord archived(Instant at) {
        return new HubSpotRecord(type, id, values.clone(), createdAt, at, at);
    }

    HubSpotObjectType type() {
        return type;
    }

    long id() {
        return id;
    }

    /** The wire value of a property, or null when it has none (or the type has no such property). */
    String get(String property) {
        return type.property(property).map(p -> values[p.index()]).orElse(null);
    }

    String get(HubSpotProperty property) {
        return values[property.index()];
    }

    /** The value of a property as search compares it ({@link HubSpotProperty#comparable}), null when it has none. */
    Comparable<?> comparable(HubSpotProperty property) {
        int i = property.index();
        Object value = comparables[i];
        if (value == null) {
            Comparable<?> parsedValue = property.comparable(values[i]);
            value = parsedValue == null ? NONE : parsedValue;
            comparables[i] = value;
        }
        return value == NONE ? null : (Comparable<?>) value;
    }

    Instant createdAt() {
        return createdAt;
    }

    Instant updatedAt() {
        return updatedAt;
    }

    boolean isArchived() {
        return archivedAt != null;
    }

    /** When it was archived; null for a live record. */
    Instant archivedAt() {
        return archivedAt;
    }

    private static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }
}
