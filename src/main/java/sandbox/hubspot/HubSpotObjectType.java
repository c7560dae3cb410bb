package sandbox.hubspot;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The CRM object types the sandbox serves, with their property definitions. A path names a type by its plural
 * ({@code companies}), its singular ({@code company}) or its type id ({@code 0-2}), in any case.
 */
enum HubSpotObjectType {

    CONTACTS("contacts", "contact", "0-1", "lastmodifieddate", 100_001L,
            List.of("firstname", "lastname", "email", "lastmodifieddate", "hs_object_id", "createdate"),
            List.of("firstname", "lastname", "email", "phone", "company")),
    COMPANIES("companies", "company", "0-2", "hs_lastmodifieddate", 9_000_000_001L,
            List.of("name", "domain", "createdate", "hs_lastmodifieddate", "hs_object_id"),
            List.of("website", "phone", "name", "domain")),
    DEALS("deals", "deal", "0-3", "hs_lastmodifieddate", 15_000_000_001L,
            List.of("dealname", "amount", "closedate", "pipeline", "dealstage", "createdate", "hs_lastmodifieddate",
                    "hs_object_id"),
            List.of("dealname"));

    /** HubSpot's industry values the sandbox knows (a part of HubSpot's list, each world industry mapped to one). */
    static final List<String> INDUSTRIES = List.of("APPAREL_FASHION", "BANKING", "BIOTECHNOLOGY", "CHEMICALS",
            "COMPUTER_SOFTWARE", "CONSTRUCTION", "CONSUMER_ELECTRONICS", "EDUCATION_MANAGEMENT", "ENTERTAINMENT",
            "ENVIRONMENTAL_SERVICES", "FARMING", "FINANCIAL_SERVICES", "FOOD_BEVERAGES", "HOSPITAL_HEALTH_CARE",
            "HOSPITALITY", "INDUSTRIAL_AUTOMATION", "INFORMATION_TECHNOLOGY_AND_SERVICES", "INSURANCE", "MACHINERY",
            "MANAGEMENT_CONSULTING", "MECHANICAL_OR_INDUSTRIAL_ENGINEERING", "MEDIA_PRODUCTION", "OIL_ENERGY",
            "PACKAGE_FREIGHT_DELIVERY", "RECREATIONAL_FACILITIES_AND_SERVICES", "RETAIL", "TELECOMMUNICATIONS",
            "TRANSPORTATION_TRUCKING_RAILROAD", "UTILITIES");
    static final List<String> COMPANY_TYPES = List.of("PROSPECT", "PARTNER", "RESELLER", "VENDOR", "OTHER");
    static final List<String> LIFECYCLE_STAGES = List.of("subscriber", "lead", "marketingqualifiedlead",
            "salesqualifiedlead", "opportunity", "customer", "evangelist", "other");
    static final List<String> DEAL_STAGES = List.of("appointmentscheduled", "qualifiedtobuy", "presentationscheduled",
            "decisionmakerboughtin", "contractsent", "closedwon", "closedlost");
    static final List<String> DEAL_TYPES = List.of("newbusiness", "existingbusiness");
    static final String PIPELINE = "default";

    private final String plural;
    private final String singular;
    private final String typeId;
    private final String modifiedProperty;
    private final long firstId;
    private final List<String> defaultProperties;
    private final List<String> searchableProperties;
    private List<HubSpotProperty> properties;
    private Map<String, HubSpotProperty> byName;

    HubSpotObjectType(String plural, String singular, String typeId, String modifiedProperty, long firstId,
            List<String> defaultProperties, List<String> searchableProperties) {
        this.plural = plural;
        this.singular = singular;
        this.typeId = typeId;
        this.modifiedProperty = modifiedProperty;
        this.firstId = firstId;
        this.defaultProperties = defaultProperties;
        this.searchableProperties = searchableProperties;
    }

    static {
        for (HubSpotObjectType type : values()) {
            type.properties = type.define();
            Map<String, HubSpotProperty> map = new HashMap<>();
            type.properties.forEach(p -> map.put(p.name(), p));
            type.byName = Map.copyOf(map);
        }
    }

    /** The type a path segment names, or empty. */
    static Optional<HubSpotObjectType> find(String name) {
        if (name == null) {
            return Optional.empty();
        }
        String lower = name.toLowerCase(Locale.ROOT);
        return Arrays.stream(values())
                .filter(t -> t.plural.equals(lower) || t.singular.equals(lower) || t.typeId.equals(lower)).findFirst();
    }

    /** {@code companies}: the key of associations and of ground truth. */
    String plural() {
        return plural;
    }

    /** {@code company}: the prefix of webhook subscription types. */
    String singular() {
        return singular;
    }

    /** {@code 0-2}. */
    String typeId() {
        return typeId;
    }

    /** {@code COMPANY}, as HubSpot names the type in some messages. */
    String upperName() {
        return singular.toUpperCase(Locale.ROOT);
    }

    /** {@code lastmodifieddate} for contacts, {@code hs_lastmodifieddate} for the others. */
    String modifiedProperty() {
        return modifiedProperty;
    }

    /** The id of the first seeded record; new records are numbered after the last seeded one. */
    long firstId() {
        return firstId;
    }

    List<String> defaultProperties() {
        return defaultProperties;
    }

    /** What a search's free-text {@code query} looks in. */
    List<String> searchableProperties() {
        return searchableProperties;
    }

    List<HubSpotProperty> properties() {
        return properties;
    }

    Optional<HubSpotProperty> property(String name) {
        return Optional.ofNullable(name == null ? null : byName.get(name));
    }

    HubSpotProperty require(String name) {
        HubSpotProperty property = byName.get(name);
        if (property == null) {
            throw new IllegalArgumentException(this + " has no property " + name);
        }
        return property;
    }

    private List<HubSpotProperty> define() {
        Definitions d = new Definitions(plural.equals("contacts") ? "contactinformation"
                : plural.equals("companies") ? "companyinformation" : "dealinformation");
        switch (this) {
            case CONTACTS -> {
                d.text("firstname", "First Name");
                d.text("lastname", "Last Name");
                d.add("email", "Email", "string", "text", false, true, List.of());
                d.add("phone", "Phone Number", "string", "phonenumber", false, false, List.of());
                d.add("mobilephone", "Mobile Phone Number", "string", "phonenumber", false, false, List.of());
                d.text("jobtitle", "Job Title");
                d.text("company", "Company Name");
                d.text("address", "Street Address");
                d.text("city", "City");
                d.text("state", "State/Region");
                d.text("zip", "Postal Code");
                d.text("country", "Country/Region");
                // HubSpot's date of birth is a text property, not a date: it holds what was typed
                d.text("date_of_birth", "Date of birth");
                d.enumeration("lifecyclestage", "Lifecycle Stage", LIFECYCLE_STAGES);
            }
            case COMPANIES -> {
                d.text("name", "Company name");
                d.text("domain", "Company Domain Name");
                d.text("website", "Website URL");
                d.add("phone", "Phone Number", "string", "phonenumber", false, false, List.of());
                d.text("address", "Street Address");
                d.text("city", "City");
                d.text("state", "State/Region");
                d.text("zip", "Postal Code");
                d.text("country", "Country/Region");
                d.enumeration("industry", "Industry", INDUSTRIES);
                d.enumeration("type", "Type", COMPANY_TYPES);
                d.add("numberofemployees", "Number of Employees", "number", "number", false, false, List.of());
                d.add("annualrevenue", "Annual Revenue", "number", "number", false, false, List.of());
                d.add("description", "Description", "string", "textarea", false, false, List.of());
                d.enumeration("lifecyclestage", "Lifecycle Stage", LIFECYCLE_STAGES);
            }
            case DEALS -> {
                d.text("dealname", "Deal Name");
                d.add("amount", "Amount", "number", "number", false, false, List.of());
                d.add("closedate", "Close Date", "datetime", "date", false, false, List.of());
                d.enumeration("pipeline", "Pipeline", List.of(PIPELINE));
                d.enumeration("dealstage", "Deal Stage", DEAL_STAGES);
                d.enumeration("dealtype", "Deal Type", DEAL_TYPES);
                d.add("description", "Deal Description", "string", "textarea", false, false, List.of());
            }
        }
        d.add("createdate", "Create Date", "datetime", "date", true, false, List.of());
        d.add(modifiedProperty, "Last Modified Date", "datetime", "date", true, false, List.of());
        d.add("hs_object_id", "Record ID", "number", "number", true, true, List.of());
        return List.copyOf(d.list);
    }

    /** Collects definitions in order, numbering them. */
    private static final class Definitions {
        final String group;
        final List<HubSpotProperty> list = new ArrayList<>();

        Definitions(String group) {
            this.group = group;
        }

        void text(String name, String label) {
            add(name, label, "string", "text", false, false, List.of());
        }

        void enumeration(String name, String label, List<String> values) {
            add(name, label, "enumeration", "select", false, false, values.stream()
                    .map(v -> new HubSpotProperty.Option(label(v), v)).toList());
        }

        void add(String name, String label, String type, String fieldType, boolean readOnly, boolean unique,
                List<HubSpotProperty.Option> options) {
            list.add(new HubSpotProperty(list.size(), name, label, type, fieldType, group, label, readOnly, unique,
                    options));
        }

        private static String label(String value) {
            String words = value.replace('_', ' ').toLowerCase(Locale.ROOT);
            return Character.toUpperCase(words.charAt(0)) + words.substring(1);
        }
    }
}
