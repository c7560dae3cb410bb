package sandbox.salesforce;

import static sandbox.salesforce.SObjectFieldType.ADDRESS;
import static sandbox.salesforce.SObjectFieldType.BOOLEAN;
import static sandbox.salesforce.SObjectFieldType.CURRENCY;
import static sandbox.salesforce.SObjectFieldType.DATE;
import static sandbox.salesforce.SObjectFieldType.DATETIME;
import static sandbox.salesforce.SObjectFieldType.EMAIL;
import static sandbox.salesforce.SObjectFieldType.ID;
import static sandbox.salesforce.SObjectFieldType.INT;
import static sandbox.salesforce.SObjectFieldType.PERCENT;
import static sandbox.salesforce.SObjectFieldType.PHONE;
import static sandbox.salesforce.SObjectFieldType.PICKLIST;
import static sandbox.salesforce.SObjectFieldType.REFERENCE;
import static sandbox.salesforce.SObjectFieldType.STRING;
import static sandbox.salesforce.SObjectFieldType.TEXTAREA;
import static sandbox.salesforce.SObjectFieldType.URL;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The sObject types the sandbox serves (Account, Contact, Opportunity) and their fields. */
public final class SObjectSchema {

    public static final List<String> INDUSTRIES = List.of("Agriculture", "Apparel", "Banking", "Biotechnology",
            "Chemicals", "Communications", "Construction", "Consulting", "Education", "Electronics", "Energy",
            "Engineering", "Entertainment", "Environmental", "Finance", "Food & Beverage", "Government",
            "Healthcare", "Hospitality", "Insurance", "Machinery", "Manufacturing", "Media", "Not For Profit",
            "Recreation", "Retail", "Shipping", "Technology", "Telecommunications", "Transportation", "Utilities",
            "Other");
    public static final List<String> ACCOUNT_TYPES = List.of("Prospect", "Customer - Direct", "Customer - Channel",
            "Channel Partner / Reseller", "Installation Partner", "Technology Partner", "Other");
    public static final List<String> STAGES = List.of("Prospecting", "Qualification", "Needs Analysis",
            "Value Proposition", "Id. Decision Makers", "Perception Analysis", "Proposal/Price Quote",
            "Negotiation/Review", "Closed Won", "Closed Lost");
    public static final List<String> OPPORTUNITY_TYPES = List.of("New Customer", "Existing Customer - Upgrade",
            "Existing Customer - Replacement", "Existing Customer - Downgrade");
    public static final List<String> LEAD_SOURCES = List.of("Web", "Phone Inquiry", "Partner Referral",
            "Purchased List", "Other");

    public static final SObjectSchema ACCOUNT = new Builder("Account", "Account", "Accounts", "001")
            .standardHead("Account ID")
            .field("Name", "Account Name", STRING, 255).required()
            .field("Type", "Account Type", PICKLIST, 255).picklist(ACCOUNT_TYPES)
            .field("Industry", "Industry", PICKLIST, 255).picklist(INDUSTRIES)
            .field("Website", "Website", URL, 255)
            .field("Phone", "Account Phone", PHONE, 40)
            .field("BillingStreet", "Billing Street", TEXTAREA, 255)
            .field("BillingCity", "Billing City", STRING, 40)
            .field("BillingState", "Billing State/Province", STRING, 80)
            .field("BillingPostalCode", "Billing Zip/Postal Code", STRING, 20)
            .field("BillingCountry", "Billing Country", STRING, 80)
            .address("BillingAddress", "Billing Address", "Billing")
            .field("NumberOfEmployees", "Employees", INT, 0)
            .field("AnnualRevenue", "Annual Revenue", CURRENCY, 0)
            .field("Description", "Account Description", TEXTAREA, 32000).notFilterable()
            .standardTail()
            .build();

    public static final SObjectSchema CONTACT = new Builder("Contact", "Contact", "Contacts", "003")
            .standardHead("Contact ID")
            .field("AccountId", "Account ID", REFERENCE, 18).referenceTo("Account")
            .field("LastName", "Last Name", STRING, 80).required()
            .field("FirstName", "First Name", STRING, 40)
            .field("Name", "Full Name", STRING, 121).readOnly().notNillable()
            .field("Title", "Title", STRING, 128)
            .field("Department", "Department", STRING, 80)
            .field("Email", "Email", EMAIL, 80)
            .field("Phone", "Business Phone", PHONE, 40)
            .field("MobilePhone", "Mobile Phone", PHONE, 40)
            .field("MailingCity", "Mailing City", STRING, 40)
            .field("MailingCountry", "Mailing Country", STRING, 80)
            .standardTail()
            .build();

    public static final SObjectSchema OPPORTUNITY = new Builder("Opportunity", "Opportunity", "Opportunities", "006")
            .standardHead("Opportunity ID")
            .field("AccountId", "Account ID", REFERENCE, 18).referenceTo("Account")
            .field("Name", "Name", STRING, 120).required()
            .field("StageName", "Stage", PICKLIST, 255).picklist(STAGES).required()
            .field("Amount", "Amount", CURRENCY, 0)
            .field("CloseDate", "Close Date", DATE, 0).required()
            .field("Probability", "Probability (%)", PERCENT, 0)
            .field("Type", "Opportunity Type", PICKLIST, 255).picklist(OPPORTUNITY_TYPES)
            .field("LeadSource", "Lead Source", PICKLIST, 255).picklist(LEAD_SOURCES)
            .field("Description", "Description", TEXTAREA, 32000).notFilterable()
            .standardTail()
            .build();

    public static final List<SObjectSchema> ALL = List.of(ACCOUNT, CONTACT, OPPORTUNITY);

    private final String name;
    private final String label;
    private final String labelPlural;
    private final String keyPrefix;
    private final List<SObjectField> fields;
    private final Map<String, SObjectField> byName;
    private final Map<String, SObjectField> byLowerName;

    private SObjectSchema(String name, String label, String labelPlural, String keyPrefix, List<SObjectField> fields) {
        this.name = name;
        this.label = label;
        this.labelPlural = labelPlural;
        this.keyPrefix = keyPrefix;
        this.fields = List.copyOf(fields);
        Map<String, SObjectField> exact = new LinkedHashMap<>();
        Map<String, SObjectField> lower = new LinkedHashMap<>();
        fields.forEach(f -> {
            exact.put(f.name(), f);
            lower.put(f.name().toLowerCase(Locale.ROOT), f);
        });
        this.byName = Collections.unmodifiableMap(exact);
        this.byLowerName = Collections.unmodifiableMap(lower);
    }

    /** Object names are case-insensitive in URLs and SOQL, as in Salesforce. */
    public static Optional<SObjectSchema> find(String name) {
        return ALL.stream().filter(s -> s.name.equalsIgnoreCase(name)).findFirst();
    }

    public Optional<SObjectField> field(String fieldName) {
        return Optional.ofNullable(byLowerName.get(fieldName.toLowerCase(Locale.ROOT)));
    }

    /** For code that names fields it knows exist, by their exact API name (no case folding: this is the hot path). */
    public SObjectField require(String fieldName) {
        SObjectField field = byName.get(fieldName);
        if (field == null) {
            throw new IllegalArgumentException(name + " has no field " + fieldName);
        }
        return field;
    }

    public String name() {
        return name;
    }

    public String label() {
        return label;
    }

    public String labelPlural() {
        return labelPlural;
    }

    public String keyPrefix() {
        return keyPrefix;
    }

    public List<SObjectField> fields() {
        return fields;
    }

    @Override
    public String toString() {
        return name;
    }

    /** Collects field definitions in describe order; flag calls apply to the field added last. */
    private static final class Builder {
        private final String name;
        private final String label;
        private final String labelPlural;
        private final String keyPrefix;
        private final List<Spec> specs = new ArrayList<>();

        /** Mutable while the schema is being declared. */
        private static final class Spec {
            String name;
            String label;
            SObjectFieldType type;
            int length;
            boolean createable = true;
            boolean updateable = true;
            boolean nillable = true;
            boolean defaultedOnCreate;
            boolean filterable = true;
            String referenceTo;
            List<String> picklistValues = List.of();
            List<String> components = List.of();
        }

        Builder(String name, String label, String labelPlural, String keyPrefix) {
            this.name = name;
            this.label = label;
            this.labelPlural = labelPlural;
            this.keyPrefix = keyPrefix;
        }

        Builder standardHead(String idLabel) {
            return field("Id", idLabel, ID, 18).system().field("IsDeleted", "Deleted", BOOLEAN, 0).system();
        }

        Builder standardTail() {
            return field("CreatedDate", "Created Date", DATETIME, 0).system()
                    .field("LastModifiedDate", "Last Modified Date", DATETIME, 0).system()
                    .field("SystemModstamp", "System Modstamp", DATETIME, 0).system();
        }

        Builder field(String fieldName, String fieldLabel, SObjectFieldType type, int length) {
            Spec spec = new Spec();
            spec.name = fieldName;
            spec.label = fieldLabel;
            spec.type = type;
            spec.length = length;
            specs.add(spec);
            return this;
        }

        Builder address(String fieldName, String fieldLabel, String componentPrefix) {
            field(fieldName, fieldLabel, ADDRESS, 0).readOnly().notFilterable();
            last().defaultedOnCreate = false;
            last().components = List.of("Street", "City", "State", "PostalCode", "Country").stream()
                    .map(p -> componentPrefix + p).toList();
            return this;
        }

        /** Set by the system on every record. */
        Builder system() {
            return readOnly().notNillable();
        }

        Builder required() {
            last().nillable = false;
            return this;
        }

        Builder notNillable() {
            last().nillable = false;
            last().defaultedOnCreate = true;
            return this;
        }

        Builder readOnly() {
            last().createable = false;
            last().updateable = false;
            last().defaultedOnCreate = true;
            return this;
        }

        Builder notFilterable() {
            last().filterable = false;
            return this;
        }

        Builder picklist(List<String> values) {
            last().picklistValues = values;
            return this;
        }

        Builder referenceTo(String target) {
            last().referenceTo = target;
            return this;
        }

        private Spec last() {
            return specs.get(specs.size() - 1);
        }

        SObjectSchema build() {
            List<SObjectField> fields = new ArrayList<>();
            for (Spec s : specs) {
                fields.add(new SObjectField(s.name, s.label, s.type, s.length, s.createable, s.updateable,
                        s.nillable, s.defaultedOnCreate, s.filterable, s.referenceTo, s.picklistValues,
                        s.components, fields.size()));
            }
            return new SObjectSchema(name, label, labelPlural, keyPrefix, fields);
        }
    }
}
