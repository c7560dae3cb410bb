package sandbox.salesforce;

import static sandbox.salesforce.SObjectFieldType.ADDRESS;
import static sandbox.salesforce.SObjectFieldType.BOOLEAN;
import static sandbox.salesforce.SObjectFieldType.COMBOBOX;
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

/** The sObject types the sandbox serves (Account, Contact, Opportunity, Lead, Task, Event) and their fields. */
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
    public static final List<String> LEAD_STATUSES = List.of("Open - Not Contacted", "Working - Contacted",
            "Closed - Converted", "Closed - Not Converted");
    public static final List<String> TASK_SUBJECTS = List.of("Call", "Send Letter", "Send Quote", "Other");
    public static final List<String> TASK_STATUSES = List.of("Not Started", "In Progress", "Completed",
            "Waiting on someone else", "Deferred");
    public static final List<String> TASK_PRIORITIES = List.of("High", "Normal", "Low");
    public static final List<String> TASK_SUBTYPES = List.of("Task", "Email", "ListEmail", "Cadence", "Call", "LinkedIn");
    public static final List<String> EVENT_SUBJECTS = List.of("Call", "Email", "Meeting", "Send Letter/Quote", "Other");

    /** What an activity's WhoId may point at: a person. */
    private static final String[] WHO = {"Contact", "Lead"};
    /** What an activity's WhatId may point at: the standard objects a task or meeting is about. */
    private static final String[] WHAT = {"Account", "Asset", "Campaign", "Case", "Contract", "Opportunity", "Order",
            "Product2"};
    /** Key prefixes of objects activities and owners refer to that the sandbox does not serve. */
    private static final Map<String, String> OTHER_KEY_PREFIXES = Map.of("Asset", "02i", "Campaign",
            "701", "Case", "500", "Contract", "800", "Order", "801", "Product2", "01t", "User", "005", "Group", "00G");

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
            .field("MailingStreet", "Mailing Street", TEXTAREA, 255)
            .field("MailingCity", "Mailing City", STRING, 40)
            .field("MailingState", "Mailing State/Province", STRING, 80)
            .field("MailingPostalCode", "Mailing Zip/Postal Code", STRING, 20)
            .field("MailingCountry", "Mailing Country", STRING, 80)
            .address("MailingAddress", "Mailing Address", "Mailing")
            .field("Birthdate", "Birthdate", DATE, 0)
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

    /**
     * A person not yet a customer, with the company they gave as text. Company may be empty, as in an org with
     * person accounts (a lead without a company converts to a person account). Converting is the UI's business:
     * IsConverted is set on create at most, never changed here.
     */
    public static final SObjectSchema LEAD = new Builder("Lead", "Lead", "Leads", "00Q")
            .standardHead("Lead ID")
            .field("LastName", "Last Name", STRING, 80).required()
            .field("FirstName", "First Name", STRING, 40)
            .field("Name", "Full Name", STRING, 121).readOnly().notNillable()
            .field("Title", "Title", STRING, 128)
            .field("Company", "Company", STRING, 255)
            .field("Street", "Street", TEXTAREA, 255)
            .field("City", "City", STRING, 40)
            .field("State", "State/Province", STRING, 80)
            .field("PostalCode", "Zip/Postal Code", STRING, 20)
            .field("Country", "Country", STRING, 80)
            .address("Address", "Address", "")
            .field("Phone", "Phone", PHONE, 40)
            .field("MobilePhone", "Mobile Phone", PHONE, 40)
            .field("Email", "Email", EMAIL, 80)
            .field("LeadSource", "Lead Source", PICKLIST, 255).picklist(LEAD_SOURCES)
            .field("Status", "Status", PICKLIST, 255).picklist(LEAD_STATUSES).notNillable()
            .field("IsConverted", "Converted", BOOLEAN, 0).notNillable().createOnly()
            .standardTail()
            .build();

    public static final SObjectSchema TASK = new Builder("Task", "Task", "Tasks", "00T")
            .activityHead()
            .field("Subject", "Subject", COMBOBOX, 255).picklist(TASK_SUBJECTS)
            .field("ActivityDate", "Due Date Only", DATE, 0)
            .field("Status", "Status", PICKLIST, 255).picklist(TASK_STATUSES).notNillable()
            .field("Priority", "Priority", PICKLIST, 255).picklist(TASK_PRIORITIES).notNillable()
            .field("TaskSubtype", "Task Subtype", PICKLIST, 255).picklist(TASK_SUBTYPES).createOnly()
            .field("Description", "Description", TEXTAREA, 32000).notFilterable()
            .activityTail()
            .build();

    /** Start, end and duration derive from one another as in Salesforce (see {@link ActivityFields}). */
    public static final SObjectSchema EVENT = new Builder("Event", "Event", "Events", "00U")
            .activityHead()
            .field("Subject", "Subject", COMBOBOX, 255).picklist(EVENT_SUBJECTS)
            .field("Location", "Location", STRING, 255)
            .field("IsAllDayEvent", "All-Day Event", BOOLEAN, 0).notNillable()
            .field("ActivityDateTime", "Due Date Time", DATETIME, 0)
            .field("ActivityDate", "Due Date Only", DATE, 0)
            .field("DurationInMinutes", "Duration", INT, 0)
            .field("StartDateTime", "Start Date Time", DATETIME, 0)
            .field("EndDateTime", "End Date Time", DATETIME, 0)
            .field("Description", "Description", TEXTAREA, 32000).notFilterable()
            .activityTail()
            .build();

    public static final List<SObjectSchema> ALL = List.of(ACCOUNT, CONTACT, OPPORTUNITY, LEAD, TASK, EVENT);
    /** Tasks and events: activities, linked to a person (WhoId) and to what they are about (WhatId). */
    public static final List<SObjectSchema> ACTIVITIES = List.of(TASK, EVENT);

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

    /**
     * The key prefix of an object's ids, served here or not (Lead, Case, User...), so a reference can tell an id
     * of the wrong object from one that does not exist; null for an object the sandbox knows nothing of.
     */
    public static String keyPrefixOf(String objectName) {
        return find(objectName).map(SObjectSchema::keyPrefix).orElse(OTHER_KEY_PREFIXES.get(objectName));
    }

    public boolean isActivity() {
        return ACTIVITIES.contains(this);
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
            List<String> referenceTo = List.of();
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

        /** Id and IsDeleted, then who and what the activity concerns. */
        Builder activityHead() {
            return standardHead("Activity ID")
                    .field("WhoId", "Name ID", REFERENCE, 18).referenceTo(WHO)
                    .field("WhatId", "Related To ID", REFERENCE, 18).referenceTo(WHAT);
        }

        /** The account Salesforce derives from WhatId or WhoId, the owner, and the system stamps. */
        Builder activityTail() {
            return field("AccountId", "Account ID", REFERENCE, 18).referenceTo("Account").readOnly()
                    .field("OwnerId", "Assigned To ID", REFERENCE, 18).referenceTo("User", "Group").notNillable()
                    .standardTail();
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

        /** Set when the record is created, never changed afterwards (Task.TaskSubtype). */
        Builder createOnly() {
            last().updateable = false;
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

        Builder referenceTo(String... targets) {
            last().referenceTo = List.of(targets);
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
