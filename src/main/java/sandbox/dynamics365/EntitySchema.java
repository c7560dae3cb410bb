package sandbox.dynamics365;

import static sandbox.dynamics365.ColumnType.BIGINT;
import static sandbox.dynamics365.ColumnType.CUSTOMER;
import static sandbox.dynamics365.ColumnType.DATEONLY;
import static sandbox.dynamics365.ColumnType.DATETIME;
import static sandbox.dynamics365.ColumnType.INTEGER;
import static sandbox.dynamics365.ColumnType.LOOKUP;
import static sandbox.dynamics365.ColumnType.MONEY;
import static sandbox.dynamics365.ColumnType.OWNER;
import static sandbox.dynamics365.ColumnType.PICKLIST;
import static sandbox.dynamics365.ColumnType.STATE;
import static sandbox.dynamics365.ColumnType.STATUS;
import static sandbox.dynamics365.ColumnType.UNIQUEIDENTIFIER;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import sandbox.dynamics365.Column.Target;

/**
 * The tables the sandbox serves, as Dataverse defines them: account, contact and opportunity with the columns a sync
 * uses, their lookups (and what deleting a target cascades to), choices and system columns. Change tracking and
 * optimistic concurrency are on for all three.
 */
final class EntitySchema {

    static final EntitySchema ACCOUNT = new EntitySchema("account", "accounts", "Account", 1, "accountid", "name", List.of(
            Column.readOnly("accountid", UNIQUEIDENTIFIER, "Account"),
            Column.text("name", "Account Name", 160),
            Column.text("accountnumber", "Account Number", 20),
            Column.text("telephone1", "Main Phone", 50),
            Column.text("fax", "Fax", 50),
            Column.text("emailaddress1", "Email", 100),
            Column.text("websiteurl", "Website", 200),
            Column.text("address1_line1", "Address 1: Street 1", 250),
            Column.text("address1_city", "Address 1: City", 80),
            Column.text("address1_stateorprovince", "Address 1: State/Province", 50),
            Column.text("address1_postalcode", "Address 1: ZIP/Postal Code", 20),
            Column.text("address1_country", "Address 1: Country/Region", 80),
            Column.choice("industrycode", PICKLIST, "Industry", options(
                    1, "Accounting", 2, "Agriculture and Non-petrol Natural Resource Extraction", 3,
                    "Broadcasting Printing and Publishing", 4, "Brokers", 5, "Building Supply Retail", 6,
                    "Business Services", 7, "Consulting", 8, "Consumer Services", 9, "Design, Direction and Creative Management",
                    10, "Distributors, Dispatchers and Processors", 11, "Doctor's Offices and Clinics", 12,
                    "Durable Manufacturing", 13, "Eating and Drinking Places", 14, "Entertainment Retail", 15,
                    "Equipment Rental and Leasing", 16, "Financial", 17, "Food and Tobacco Processing", 18,
                    "Inbound Capital Intensive Processing", 19, "Inbound Repair and Services", 20, "Insurance", 21,
                    "Legal Services", 22, "Non-Durable Merchandise Retail", 23, "Outbound Consumer Service", 24,
                    "Petrochemical Extraction and Distribution", 25, "Service Retail", 26, "SIG Affiliations", 27,
                    "Social Services", 28, "Special Outbound Trade Contractors", 29, "Specialty Realty", 30,
                    "Transportation", 31, "Utility Creation and Distribution", 32, "Vehicle Retail", 33, "Wholesale")),
            Column.of("numberofemployees", INTEGER, "Number of Employees"),
            Column.of("revenue", MONEY, "Annual Revenue"),
            Column.memo("description", "Description"),
            Column.lookup("parentaccountid", LOOKUP, "Parent Account", new Target("account", "parentaccountid", false)),
            Column.lookup("primarycontactid", LOOKUP, "Primary Contact", new Target("contact", "primarycontactid", false)),
            Column.choice("statecode", STATE, "Status", options(0, "Active", 1, "Inactive")),
            Column.choice("statuscode", STATUS, "Status Reason", options(1, "Active", 2, "Inactive")),
            Column.systemLookup("ownerid", OWNER, "Owner", "systemuser"),
            Column.systemLookup("createdby", LOOKUP, "Created By", "systemuser"),
            Column.systemLookup("modifiedby", LOOKUP, "Modified By", "systemuser"),
            Column.readOnly("createdon", DATETIME, "Created On"),
            Column.readOnly("modifiedon", DATETIME, "Modified On"),
            Column.readOnly("versionnumber", BIGINT, "Version Number")));

    static final EntitySchema CONTACT = new EntitySchema("contact", "contacts", "Contact", 2, "contactid", "fullname", List.of(
            Column.readOnly("contactid", UNIQUEIDENTIFIER, "Contact"),
            Column.text("firstname", "First Name", 50),
            Column.text("lastname", "Last Name", 50),
            new Column("fullname", ColumnType.STRING, "Full Name", false, 160, Map.of(), List.of()),
            Column.text("emailaddress1", "Email", 100),
            Column.text("telephone1", "Business Phone", 50),
            Column.text("mobilephone", "Mobile Phone", 50),
            Column.text("jobtitle", "Job Title", 100),
            Column.text("address1_line1", "Address 1: Street 1", 250),
            Column.text("address1_city", "Address 1: City", 80),
            Column.text("address1_stateorprovince", "Address 1: State/Province", 50),
            Column.text("address1_postalcode", "Address 1: ZIP/Postal Code", 20),
            Column.text("address1_country", "Address 1: Country/Region", 80),
            Column.of("birthdate", DATEONLY, "Birthday"),
            Column.memo("description", "Description"),
            Column.lookup("parentcustomerid", CUSTOMER, "Company Name",
                    new Target("account", "parentcustomerid_account", true),
                    new Target("contact", "parentcustomerid_contact", true)),
            Column.choice("statecode", STATE, "Status", options(0, "Active", 1, "Inactive")),
            Column.choice("statuscode", STATUS, "Status Reason", options(1, "Active", 2, "Inactive")),
            Column.systemLookup("ownerid", OWNER, "Owner", "systemuser"),
            Column.systemLookup("createdby", LOOKUP, "Created By", "systemuser"),
            Column.systemLookup("modifiedby", LOOKUP, "Modified By", "systemuser"),
            Column.readOnly("createdon", DATETIME, "Created On"),
            Column.readOnly("modifiedon", DATETIME, "Modified On"),
            Column.readOnly("versionnumber", BIGINT, "Version Number")));

    static final EntitySchema OPPORTUNITY = new EntitySchema("opportunity", "opportunities", "Opportunity", 3, "opportunityid",
            "name", List.of(
            Column.readOnly("opportunityid", UNIQUEIDENTIFIER, "Opportunity"),
            Column.text("name", "Topic", 300),
            Column.of("estimatedvalue", MONEY, "Est. Revenue"),
            Column.of("estimatedclosedate", DATEONLY, "Est. Close Date"),
            Column.of("actualvalue", MONEY, "Actual Revenue"),
            Column.of("actualclosedate", DATEONLY, "Actual Close Date"),
            Column.of("closeprobability", INTEGER, "Probability"),
            Column.text("stepname", "Pipeline Phase", 200),
            Column.memo("description", "Description"),
            Column.lookup("parentaccountid", LOOKUP, "Account", new Target("account", "parentaccountid", true)),
            Column.lookup("parentcontactid", LOOKUP, "Contact", new Target("contact", "parentcontactid", false)),
            Column.lookup("customerid", CUSTOMER, "Potential Customer",
                    new Target("account", "customerid_account", true),
                    new Target("contact", "customerid_contact", true)),
            Column.choice("statecode", STATE, "Status", options(0, "Open", 1, "Won", 2, "Lost")),
            Column.choice("statuscode", STATUS, "Status Reason",
                    options(1, "In Progress", 2, "On Hold", 3, "Won", 4, "Canceled", 5, "Out-Sold")),
            Column.systemLookup("ownerid", OWNER, "Owner", "systemuser"),
            Column.systemLookup("createdby", LOOKUP, "Created By", "systemuser"),
            Column.systemLookup("modifiedby", LOOKUP, "Modified By", "systemuser"),
            Column.readOnly("createdon", DATETIME, "Created On"),
            Column.readOnly("modifiedon", DATETIME, "Modified On"),
            Column.readOnly("versionnumber", BIGINT, "Version Number")));

    static final List<EntitySchema> ALL = List.of(ACCOUNT, CONTACT, OPPORTUNITY);

    private final String logicalName;
    private final String entitySetName;
    private final String displayName;
    private final int objectTypeCode;
    private final String primaryId;
    private final String primaryName;
    private final List<Column> columns;
    private final Map<String, Column> byProperty = new LinkedHashMap<>();
    private final String metadataId;

    private EntitySchema(String logicalName, String entitySetName, String displayName, int objectTypeCode,
            String primaryId, String primaryName, List<Column> columns) {
        this.logicalName = logicalName;
        this.entitySetName = entitySetName;
        this.displayName = displayName;
        this.objectTypeCode = objectTypeCode;
        this.primaryId = primaryId;
        this.primaryName = primaryName;
        this.columns = columns;
        columns.forEach(c -> byProperty.put(c.property(), c));
        this.metadataId = stableId("entity:" + logicalName);
    }

    static Optional<EntitySchema> byEntitySet(String name) {
        return ALL.stream().filter(s -> s.entitySetName.equals(name)).findFirst();
    }

    static Optional<EntitySchema> byLogicalName(String name) {
        return ALL.stream().filter(s -> s.logicalName.equals(name)).findFirst();
    }

    String logicalName() {
        return logicalName;
    }

    String entitySetName() {
        return entitySetName;
    }

    String displayName() {
        return displayName;
    }

    int objectTypeCode() {
        return objectTypeCode;
    }

    String primaryId() {
        return primaryId;
    }

    String primaryName() {
        return primaryName;
    }

    /** {@code Microsoft.Dynamics.CRM.account}: the entity type's name in OData messages. */
    String typeName() {
        return "Microsoft.Dynamics.CRM." + logicalName;
    }

    List<Column> columns() {
        return columns;
    }

    /** The column behind a wire property name ({@code name}, {@code _parentaccountid_value}). */
    Optional<Column> column(String property) {
        return Optional.ofNullable(byProperty.get(property));
    }

    Column require(String property) {
        return column(property).orElseThrow(() -> new IllegalArgumentException(logicalName + " has no " + property));
    }

    /** The lookup column bound by a navigation property ({@code parentcustomerid_account}), with that target. */
    Optional<Column> lookupByNavigation(String navigation) {
        return columns.stream().filter(c -> c.type().isLookup() && c.writable()
                && c.targetByNavigation(navigation).isPresent()).findFirst();
    }

    String metadataId() {
        return metadataId;
    }

    String attributeMetadataId(Column column) {
        return stableId("attribute:" + logicalName + ":" + column.logicalName());
    }

    /** A GUID that is the same on every start, for metadata ids. */
    static String stableId(String name) {
        return UUID.nameUUIDFromBytes(("dynamics365:" + name).getBytes(StandardCharsets.UTF_8)).toString();
    }

    private static Map<Integer, String> options(Object... pairs) {
        Map<Integer, String> options = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            options.put((Integer) pairs[i], (String) pairs[i + 1]);
        }
        return java.util.Collections.unmodifiableMap(options);
    }

    @Override
    public String toString() {
        return logicalName;
    }
}
