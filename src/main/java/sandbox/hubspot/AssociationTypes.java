package sandbox.hubspot;

import static sandbox.hubspot.HubSpotObjectType.COMPANIES;
import static sandbox.hubspot.HubSpotObjectType.CONTACTS;
import static sandbox.hubspot.HubSpotObjectType.DEALS;

import java.util.List;
import java.util.Optional;

/**
 * HubSpot's defined association types between the sandbox's objects: per direction an unlabeled type and, where a
 * company is involved, the "Primary" label (a contact's or deal's primary company, seen from either side).
 */
final class AssociationTypes {

    /** One association type id: its direction, and whether it is the Primary label. */
    record Spec(int typeId, HubSpotObjectType from, HubSpotObjectType to, boolean primary) {

        /** The v3 name, e.g. {@code contact_to_company} (Primary) or {@code contact_to_company_unlabeled}. */
        String v3Name() {
            String base = from.singular() + "_to_" + to.singular();
            return primary || !involvesCompany() ? base : base + "_unlabeled";
        }

        String label() {
            return primary ? "Primary" : null;
        }

        private boolean involvesCompany() {
            return from == COMPANIES || to == COMPANIES;
        }
    }

    static final List<Spec> ALL = List.of(
            new Spec(279, CONTACTS, COMPANIES, false), new Spec(1, CONTACTS, COMPANIES, true),
            new Spec(280, COMPANIES, CONTACTS, false), new Spec(2, COMPANIES, CONTACTS, true),
            new Spec(341, DEALS, COMPANIES, false), new Spec(5, DEALS, COMPANIES, true),
            new Spec(342, COMPANIES, DEALS, false), new Spec(6, COMPANIES, DEALS, true),
            new Spec(3, DEALS, CONTACTS, false), new Spec(4, CONTACTS, DEALS, false));

    private AssociationTypes() {
    }

    static Optional<Spec> byId(int typeId) {
        return ALL.stream().filter(s -> s.typeId() == typeId).findFirst();
    }

    /** The unlabeled type between two object types; empty when they cannot be associated. */
    static Optional<Spec> unlabeled(HubSpotObjectType from, HubSpotObjectType to) {
        return ALL.stream().filter(s -> s.from() == from && s.to() == to && !s.primary()).findFirst();
    }

    static Optional<Spec> primary(HubSpotObjectType from, HubSpotObjectType to) {
        return ALL.stream().filter(s -> s.from() == from && s.to() == to && s.primary()).findFirst();
    }

    /** The types of an association between two records, Primary first, as HubSpot lists them. */
    static List<Spec> of(HubSpotObjectType from, HubSpotObjectType to, boolean primary) {
        Spec unlabeled = unlabeled(from, to).orElseThrow();
        return primary ? List.of(primary(from, to).orElseThrow(), unlabeled) : List.of(unlabeled);
    }
}
