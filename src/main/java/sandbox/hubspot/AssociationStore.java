package sandbox.hubspot;

import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * One portal's associations between records, kept from both sides. An association carries one label at most beside
 * the unlabeled type: Primary, which marks a contact's or a deal's primary company (one per contact or deal). Not
 * thread-safe: the portal's lock guards it.
 */
final class AssociationStore {

    private final Map<HubSpotObjectType, Map<Long, EnumMap<HubSpotObjectType, TreeMap<Long, Boolean>>>> links =
            new EnumMap<>(HubSpotObjectType.class);

    AssociationStore() {
        for (HubSpotObjectType type : HubSpotObjectType.values()) {
            links.put(type, new HashMap<>());
        }
    }

    /**
     * Associates two records (idempotent). {@code primary} adds the Primary label, which the child (contact or deal)
     * then holds for this company only; it is never taken away by a later unlabeled association.
     */
    void associate(HubSpotObjectType aType, long aId, HubSpotObjectType bType, long bId, boolean primary) {
        boolean keep = primary || Boolean.TRUE.equals(side(aType, aId, bType).get(bId));
        if (primary) {
            HubSpotObjectType childType = aType == HubSpotObjectType.COMPANIES ? bType : aType;
            long childId = aType == HubSpotObjectType.COMPANIES ? bId : aId;
            long companyId = aType == HubSpotObjectType.COMPANIES ? aId : bId;
            TreeMap<Long, Boolean> companies = side(childType, childId, HubSpotObjectType.COMPANIES);
            for (Map.Entry<Long, Boolean> e : companies.entrySet()) {
                if (e.getValue() && e.getKey() != companyId) {
                    e.setValue(false);
                    side(HubSpotObjectType.COMPANIES, e.getKey(), childType).put(childId, false);
                }
            }
        }
        side(aType, aId, bType).put(bId, keep);
        side(bType, bId, aType).put(aId, keep);
    }

    /** Removes the association with all its labels; false when there was none. */
    boolean dissociate(HubSpotObjectType aType, long aId, HubSpotObjectType bType, long bId) {
        boolean had = side(aType, aId, bType).remove(bId) != null;
        side(bType, bId, aType).remove(aId);
        return had;
    }

    /** The records of {@code toType} associated with a record: id to whether the association is Primary. */
    NavigableMap<Long, Boolean> targets(HubSpotObjectType type, long id, HubSpotObjectType toType) {
        Map<Long, EnumMap<HubSpotObjectType, TreeMap<Long, Boolean>>> byId = links.get(type);
        EnumMap<HubSpotObjectType, TreeMap<Long, Boolean>> sides = byId.get(id);
        TreeMap<Long, Boolean> targets = sides == null ? null : sides.get(toType);
        return targets == null ? Collections.emptyNavigableMap() : Collections.unmodifiableNavigableMap(targets);
    }

    private TreeMap<Long, Boolean> side(HubSpotObjectType type, long id, HubSpotObjectType toType) {
        return links.get(type).computeIfAbsent(id, k -> new EnumMap<>(HubSpotObjectType.class))
                .computeIfAbsent(toType, k -> new TreeMap<>());
    }
}
