package sandbox.salesforce;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The describe documents: global object list, basic info and full describe. */
final class SObjectDescribes {

    private SObjectDescribes() {
    }

    static Map<String, Object> global(String version) {
        Map<String, Object> global = new LinkedHashMap<>();
        global.put("encoding", "UTF-8");
        global.put("maxBatchSize", 200);
        global.put("sobjects", SObjectSchema.ALL.stream().map(t -> summary(t, version)).toList());
        return global;
    }

    static Map<String, Object> basicInfo(SObjectSchema type, String version) {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("objectDescribe", summary(type, version));
        info.put("recentItems", List.of());
        return info;
    }

    static Map<String, Object> describe(SObjectSchema type, String version) {
        Map<String, Object> describe = summary(type, version);
        Map<String, String> compoundOf = new LinkedHashMap<>();
        type.fields().stream().filter(SObjectField::compound)
                .forEach(a -> a.components().forEach(c -> compoundOf.put(c, a.name())));
        List<Map<String, Object>> fields = new ArrayList<>();
        for (SObjectField f : type.fields()) {
            fields.add(field(f, compoundOf.get(f.name())));
        }
        describe.put("fields", fields);
        describe.put("childRelationships", childRelationships(type));
        describe.put("recordTypeInfos", List.of());
        return describe;
    }

    private static Map<String, Object> summary(SObjectSchema type, String version) {
        String base = "/services/data/" + version + "/sobjects/" + type.name();
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("name", type.name());
        summary.put("label", type.label());
        summary.put("labelPlural", type.labelPlural());
        summary.put("keyPrefix", type.keyPrefix());
        summary.put("custom", false);
        for (String flag : List.of("queryable", "createable", "updateable", "deletable", "retrieveable",
                "searchable", "layoutable", "replicateable", "undeletable")) {
            summary.put(flag, true);
        }
        Map<String, Object> urls = new LinkedHashMap<>();
        urls.put("sobject", base);
        urls.put("describe", base + "/describe");
        urls.put("rowTemplate", base + "/{ID}");
        summary.put("urls", urls);
        return summary;
    }

    private static Map<String, Object> field(SObjectField f, String compoundFieldName) {
        SObjectFieldType type = f.type();
        Map<String, Object> field = new LinkedHashMap<>();
        field.put("name", f.name());
        field.put("label", f.label());
        field.put("type", type.describeName());
        field.put("soapType", soapType(type));
        field.put("length", f.length());
        field.put("precision", type == SObjectFieldType.CURRENCY ? 18 : type == SObjectFieldType.PERCENT ? 3
                : type == SObjectFieldType.DOUBLE ? 18 : 0);
        field.put("scale", type == SObjectFieldType.CURRENCY ? 2 : 0);
        field.put("digits", type == SObjectFieldType.INT ? 8 : 0);
        field.put("createable", f.createable());
        field.put("updateable", f.updateable());
        field.put("nillable", f.nillable());
        field.put("defaultedOnCreate", f.defaultedOnCreate());
        field.put("externalId", false);
        field.put("idLookup", type == SObjectFieldType.ID);
        field.put("unique", false);
        field.put("filterable", f.filterable());
        field.put("sortable", f.sortable());
        field.put("calculated", f.name().equals("Name") && !f.createable());
        field.put("compoundFieldName", compoundFieldName);
        field.put("referenceTo", f.referenceTo());
        field.put("relationshipName", f.relationshipName());
        field.put("polymorphicForeignKey", f.polymorphic());
        List<Map<String, Object>> picklist = new ArrayList<>();
        for (String value : f.picklistValues()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("active", true);
            entry.put("defaultValue", false);
            entry.put("label", value);
            entry.put("validFor", null);
            entry.put("value", value);
            picklist.add(entry);
        }
        field.put("picklistValues", picklist);
        return field;
    }

    private static String soapType(SObjectFieldType type) {
        return switch (type) {
            case ID, REFERENCE -> "tns:ID";
            case BOOLEAN -> "xsd:boolean";
            case INT -> "xsd:int";
            case DOUBLE, CURRENCY, PERCENT -> "xsd:double";
            case DATE -> "xsd:date";
            case DATETIME -> "xsd:dateTime";
            case ADDRESS -> "urn:address";
            default -> "xsd:string";
        };
    }

    /**
     * The fields of other objects that point here: Account's contacts and opportunities, and the tasks and events
     * whose WhoId or WhatId is this record (deleted with it). An activity's derived AccountId has no relationship name.
     */
    private static List<Map<String, Object>> childRelationships(SObjectSchema type) {
        List<Map<String, Object>> children = new ArrayList<>();
        for (SObjectSchema child : SObjectSchema.ALL) {
            for (SObjectField f : child.fields()) {
                if (!f.referenceTo().contains(type.name())) {
                    continue;
                }
                boolean named = f.createable();
                Map<String, Object> relation = new LinkedHashMap<>();
                relation.put("cascadeDelete", named);
                relation.put("childSObject", child.name());
                relation.put("field", f.name());
                relation.put("relationshipName", named ? child.labelPlural() : null);
                children.add(relation);
            }
        }
        return children;
    }
}
