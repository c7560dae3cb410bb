package sandbox.dynamics365;

/**
 * A Dataverse column's type: its OData type on the wire and its attribute metadata names in
 * {@code EntityDefinitions(...)/Attributes}.
 */
enum ColumnType {
    UNIQUEIDENTIFIER("Edm.Guid", "Uniqueidentifier", "UniqueidentifierType", "UniqueIdentifierAttributeMetadata"),
    STRING("Edm.String", "String", "StringType", "StringAttributeMetadata"),
    MEMO("Edm.String", "Memo", "MemoType", "MemoAttributeMetadata"),
    INTEGER("Edm.Int32", "Integer", "IntegerType", "IntegerAttributeMetadata"),
    BIGINT("Edm.Int64", "BigInt", "BigIntType", "BigIntAttributeMetadata"),
    MONEY("Edm.Decimal", "Money", "MoneyType", "MoneyAttributeMetadata"),
    DATETIME("Edm.DateTimeOffset", "DateTime", "DateTimeType", "DateTimeAttributeMetadata"),
    /** A DateTime column with the DateOnly format: {@code "2024-06-30"} on the wire. */
    DATEONLY("Edm.Date", "DateTime", "DateTimeType", "DateTimeAttributeMetadata"),
    PICKLIST("Edm.Int32", "Picklist", "PicklistType", "PicklistAttributeMetadata"),
    STATE("Edm.Int32", "State", "StateType", "StateAttributeMetadata"),
    STATUS("Edm.Int32", "Status", "StatusType", "StatusAttributeMetadata"),
    LOOKUP("Edm.Guid", "Lookup", "LookupType", "LookupAttributeMetadata"),
    /** A lookup to an account or a contact (polymorphic: one navigation property per target). */
    CUSTOMER("Edm.Guid", "Customer", "CustomerType", "LookupAttributeMetadata"),
    OWNER("Edm.Guid", "Owner", "OwnerType", "LookupAttributeMetadata");

    private final String edmType;
    private final String attributeType;
    private final String attributeTypeName;
    private final String metadataType;

    ColumnType(String edmType, String attributeType, String attributeTypeName, String metadataType) {
        this.edmType = edmType;
        this.attributeType = attributeType;
        this.attributeTypeName = attributeTypeName;
        this.metadataType = metadataType;
    }

    String edmType() {
        return edmType;
    }

    String attributeType() {
        return attributeType;
    }

    String attributeTypeName() {
        return attributeTypeName;
    }

    /** {@code #Microsoft.Dynamics.CRM.StringAttributeMetadata}: the {@code @odata.type} of its attribute definition. */
    String metadataType() {
        return "#Microsoft.Dynamics.CRM." + metadataType;
    }

    boolean isLookup() {
        return this == LOOKUP || this == CUSTOMER || this == OWNER;
    }

    boolean isChoice() {
        return this == PICKLIST || this == STATE || this == STATUS;
    }
}
