package sandbox.salesforce;

/** Salesforce field types used by the sandbox's objects, named as describe reports them. */
public enum SObjectFieldType {
    ID("id"), STRING("string"), TEXTAREA("textarea"), PICKLIST("picklist"), COMBOBOX("combobox"), URL("url"), PHONE("phone"),
    EMAIL("email"), REFERENCE("reference"), BOOLEAN("boolean"), INT("int"), DOUBLE("double"),
    CURRENCY("currency"), PERCENT("percent"), DATE("date"), DATETIME("datetime"), ADDRESS("address");

    private final String describeName;

    SObjectFieldType(String describeName) {
        this.describeName = describeName;
    }

    public String describeName() {
        return describeName;
    }

    /** Compared as text in SOQL and written as JSON strings. */
    public boolean isText() {
        return switch (this) {
            case ID, STRING, TEXTAREA, PICKLIST, COMBOBOX, URL, PHONE, EMAIL, REFERENCE -> true;
            default -> false;
        };
    }

    public boolean isNumber() {
        return this == INT || this == DOUBLE || this == CURRENCY || this == PERCENT;
    }

    public boolean isIdLike() {
        return this == ID || this == REFERENCE;
    }

    /** The type name Salesforce uses in SOQL filter type errors. */
    public String soqlTypeName() {
        return switch (this) {
            case DATETIME -> "dateTime";
            case INT, DOUBLE, CURRENCY, PERCENT -> describeName;
            case BOOLEAN -> "boolean";
            case DATE -> "date";
            case ID, REFERENCE -> "id";
            default -> "string";
        };
    }
}
