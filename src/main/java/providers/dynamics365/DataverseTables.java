package providers.dynamics365;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The tables the adapter syncs, as the Web API names them: entity set ({@code accounts}), logical name
 * ({@code account}), primary key ({@code accountid}), and their lookups with the navigation properties a write binds
 * ({@code parentcustomerid_account@odata.bind}). Other tables are reached by their entity set name with
 * {@code <logical name>id} as the key, Dataverse's convention.
 */
final class DataverseTables {

    private DataverseTables() {
    }

    /** A lookup column and, per target table, the navigation property that sets it. */
    record Lookup(String attribute, Map<String, String> navigationToEntitySet) {

        /** The single navigation property of a lookup with one target, or empty for a polymorphic one. */
        Optional<String> single() {
            return navigationToEntitySet.size() == 1 ? Optional.of(navigationToEntitySet.keySet().iterator().next()) : Optional.empty();
        }
    }

    record Table(String entitySet, String logicalName, String primaryKey, List<Lookup> lookups) {

        Optional<Lookup> lookupByAttribute(String attribute) {
            return lookups.stream().filter(l -> l.attribute().equals(attribute)).findFirst();
        }

        /** The entity set a navigation property binds to, when it is one of this table's lookups. */
        Optional<String> bindTarget(String navigation) {
            return lookups.stream().map(l -> l.navigationToEntitySet().get(navigation)).filter(java.util.Objects::nonNull).findFirst();
        }
    }

    static final Table ACCOUNTS = new Table("accounts", "account", "accountid", List.of(
            new Lookup("parentaccountid", Map.of("parentaccountid", "accounts")),
            new Lookup("primarycontactid", Map.of("primarycontactid", "contacts"))));
    static final Table CONTACTS = new Table("contacts", "contact", "contactid", List.of(
            new Lookup("parentcustomerid", Map.of("parentcustomerid_account", "accounts", "parentcustomerid_contact", "contacts"))));
    static final Table OPPORTUNITIES = new Table("opportunities", "opportunity", "opportunityid", List.of(
            new Lookup("parentaccountid", Map.of("parentaccountid", "accounts")),
            new Lookup("parentcontactid", Map.of("parentcontactid", "contacts")),
            new Lookup("customerid", Map.of("customerid_account", "accounts", "customerid_contact", "contacts"))));

    static final List<Table> KNOWN = List.of(ACCOUNTS, CONTACTS, OPPORTUNITIES);

    /** Entity set names: lower-case letters, digits and underscores, as Dataverse makes them. */
    private static final Pattern ENTITY_SET = Pattern.compile("[a-z][a-z0-9_]{0,127}");
    /** A Dataverse row id: a lower- or upper-case hyphenated GUID. */
    static final Pattern GUID = Pattern.compile("[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}");

    /** The table of an entity set name (any case); one the adapter does not know keys on {@code <singular>id}. */
    static Table of(String entity) {
        String set = entity == null ? "" : entity.toLowerCase(Locale.ROOT);
        for (Table table : KNOWN) {
            if (table.entitySet().equals(set)) {
                return table;
            }
        }
        if (!ENTITY_SET.matcher(set).matches()) {
            throw new providers.PermanentProviderException("not a Dataverse entity set name: '" + entity + "'");
        }
        String logical = set.endsWith("ies") ? set.substring(0, set.length() - 3) + "y" : set.endsWith("s") ? set.substring(0, set.length() - 1) : set;
        return new Table(set, logical, logical + "id", List.of());
    }

    /** A row id for a URL path: only a GUID passes. */
    static String rowId(String externalId) {
        if (externalId == null || !GUID.matcher(externalId).matches()) {
            throw new providers.PermanentProviderException("not a Dataverse row id: '" + externalId + "'");
        }
        return externalId.toLowerCase(Locale.ROOT);
    }
}
