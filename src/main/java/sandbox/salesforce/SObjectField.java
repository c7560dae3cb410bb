package sandbox.salesforce;

import java.util.List;

/**
 * One field of a sandbox sObject, with the describe flags clients read.
 *
 * @param index position of the value in a {@link SandboxRecord}
 * @param referenceTo target objects of a reference field (several for a polymorphic one such as Task.WhoId), else empty
 * @param components names of the component fields of a compound address, else empty
 */
public record SObjectField(
        String name,
        String label,
        SObjectFieldType type,
        int length,
        boolean createable,
        boolean updateable,
        boolean nillable,
        boolean defaultedOnCreate,
        boolean filterable,
        List<String> referenceTo,
        List<String> picklistValues,
        List<String> components,
        int index) {

    /** Salesforce rejects a create that leaves this field empty. */
    public boolean requiredOnCreate() {
        return createable && !nillable && !defaultedOnCreate;
    }

    public boolean sortable() {
        return filterable;
    }

    public boolean compound() {
        return type == SObjectFieldType.ADDRESS;
    }

    /** A reference that may point at records of several objects; the id's key prefix says which. */
    public boolean polymorphic() {
        return referenceTo.size() > 1;
    }

    /** Salesforce's name for the referenced record in SOQL and describe: AccountId -> Account, WhoId -> Who. */
    public String relationshipName() {
        if (referenceTo.isEmpty()) {
            return null;
        }
        return name.endsWith("Id") ? name.substring(0, name.length() - 2) : name;
    }
}
