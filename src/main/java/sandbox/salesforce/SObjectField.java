package sandbox.salesforce;

import java.util.List;

/**
 * One field of a sandbox sObject, with the describe flags clients read.
 *
 * @param index position of the value in a {@link SandboxRecord}
 * @param referenceTo target object for reference fields, else null
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
        String referenceTo,
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
}
