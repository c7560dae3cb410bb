package providers.hubspot;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

import providers.PermanentProviderException;

/**
 * The CRM object types the adapter syncs, by the plural name HubSpot's paths use (the hub's entity names): their
 * modification-date property (contacts have their own), the properties HubSpot returns by default, and for
 * contacts and deals the association to their company ({@link #COMPANY_ID}).
 */
enum HubSpotObject {

    COMPANIES("companies", "company", "0-2", "hs_lastmodifieddate", List.of("name", "domain", "createdate", "hs_lastmodifieddate"),
            null, 0, 0),
    CONTACTS("contacts", "contact", "0-1", "lastmodifieddate", List.of("firstname", "lastname", "email", "createdate", "lastmodifieddate"),
            "companies", 1, 279),
    DEALS("deals", "deal", "0-3", "hs_lastmodifieddate",
            List.of("dealname", "amount", "closedate", "pipeline", "dealstage", "createdate", "hs_lastmodifieddate"),
            "companies", 5, 341);

    /**
     * The record field the adapter fills with the associated company's id (the primary association, else the lowest
     * id): HubSpot keeps associations apart from properties, and the mappings link through this field.
     */
    static final String COMPANY_ID = "associatedCompanyId";
    /** The record id; repeated as the property hs_object_id. */
    static final String ID = "id";
    static final String OBJECT_ID_PROPERTY = "hs_object_id";
    /** Fields of the record beside its properties. */
    static final List<String> RECORD_FIELDS = List.of(ID, "createdAt", "updatedAt", "archived", "archivedAt", COMPANY_ID);

    private final String entity;
    private final String singular;
    private final String typeId;
    private final String modifiedProperty;
    private final List<String> defaultProperties;
    private final String associatedWith;
    private final int primaryAssociation;
    private final int unlabeledAssociation;

    HubSpotObject(String entity, String singular, String typeId, String modifiedProperty, List<String> defaultProperties,
                  String associatedWith, int primaryAssociation, int unlabeledAssociation) {
        this.entity = entity;
        this.singular = singular;
        this.typeId = typeId;
        this.modifiedProperty = modifiedProperty;
        this.defaultProperties = defaultProperties;
        this.associatedWith = associatedWith;
        this.primaryAssociation = primaryAssociation;
        this.unlabeledAssociation = unlabeledAssociation;
    }

    /** The object type an entity name ({@code companies}, {@code Contacts}, or its type id {@code 0-3}) stands for. */
    static Optional<HubSpotObject> find(String entity) {
        if (entity == null) {
            return Optional.empty();
        }
        String name = entity.trim().toLowerCase(Locale.ROOT);
        for (HubSpotObject object : values()) {
            if (object.entity.equals(name) || object.singular.equals(name) || object.typeId.equals(name)) {
                return Optional.of(object);
            }
        }
        return Optional.empty();
    }

    static HubSpotObject of(String entity) {
        return find(entity).orElseThrow(() -> new PermanentProviderException("HubSpot has no object type '" + entity
                + "' here; the adapter syncs companies, contacts and deals"));
    }

    /** The plural name in v3 paths ({@code /crm/v3/objects/companies}). */
    String entity() {
        return entity;
    }

    /** The singular name in v4 association paths ({@code /crm/v4/associations/contact/company/batch/read}). */
    String singular() {
        return singular;
    }

    String typeId() {
        return typeId;
    }

    /** The datetime property HubSpot sets on every change: the change marker of incremental syncs. */
    String modifiedProperty() {
        return modifiedProperty;
    }

    List<String> defaultProperties() {
        return defaultProperties;
    }

    /** The object type whose id goes into {@link #COMPANY_ID}, or null when this one has none. */
    String associatedWith() {
        return associatedWith;
    }

    /** The association type id HubSpot labels Primary (contact to company 1, deal to company 5). */
    int primaryAssociation() {
        return primaryAssociation;
    }

    /** The unlabeled association type id (contact to company 279, deal to company 341). */
    int unlabeledAssociation() {
        return unlabeledAssociation;
    }

    boolean hasCompany() {
        return associatedWith != null;
    }
}
