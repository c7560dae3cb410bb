package sandbox.dynamics365;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;

/**
 * The service's descriptions of itself: the service document, {@code $metadata} (CSDL), {@code WhoAmI}, and the
 * table definitions clients discover tables and columns with: {@code EntityDefinitions} (with {@code $select} and
 * {@code $filter}), one definition by {@code (LogicalName='account')} or MetadataId, and its {@code Attributes}.
 */
final class MetadataRequests {

    static final Pattern DEFINITIONS = Pattern.compile("EntityDefinitions(?:\\(([^)]*)\\))?"
            + "(?:/Attributes(?:\\(([^)]*)\\))?(?:/(Microsoft\\.Dynamics\\.CRM\\.[A-Za-z]+))?)?");
    private static final Pattern LOGICAL_NAME_KEY = Pattern.compile("LogicalName='([^']*)'");
    private static final String ENTITY_TYPE = "Microsoft.Dynamics.CRM.EntityMetadata";
    private static final String ATTRIBUTE_TYPE = "Microsoft.Dynamics.CRM.AttributeMetadata";
    /** Properties of an attribute definition only some attribute types have. */
    private static final List<String> DERIVED_ATTRIBUTE_PROPERTIES = List.of("MaxLength", "Targets", "Format",
            "DateTimeBehavior", "Precision", "MinValue", "MaxValue");

    private MetadataRequests() {
    }

    static ApiResponse serviceDocument(ApiCall call) {
        List<Map<String, Object>> sets = new ArrayList<>();
        List<String> names = new ArrayList<>(EntitySchema.ALL.stream().map(EntitySchema::entitySetName).toList());
        names.add("EntityDefinitions");
        for (String name : names) {
            Map<String, Object> set = new LinkedHashMap<>();
            set.put("name", name);
            set.put("kind", "EntitySet");
            set.put("url", name);
            sets.add(set);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("@odata.context", call.base() + "$metadata");
        body.put("value", sets);
        return ApiResponse.ok(body);
    }

    static ApiResponse whoAmI(ApiCall call) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("@odata.context", call.context("Microsoft.Dynamics.CRM.WhoAmIResponse"));
        body.put("BusinessUnitId", call.org().businessUnitId());
        body.put("UserId", call.userId());
        body.put("OrganizationId", call.org().organizationId());
        return ApiResponse.ok(body);
    }

    /** {@code EntityDefinitions...}: {@code m} matched {@link #DEFINITIONS}. */
    static ApiResponse definitions(ApiCall call, Matcher m) {
        String entityKey = m.group(1);
        boolean attributes = m.group(0).contains("/Attributes");
        if (entityKey == null) {
            if (attributes) {
                throw DataverseApiException.segmentNotFound("Attributes");
            }
            List<Map<String, Object>> all = EntitySchema.ALL.stream().map(MetadataRequests::entityDefinition).toList();
            return collection(call, "EntityDefinitions", all, ENTITY_TYPE, null);
        }
        EntitySchema table = table(entityKey);
        if (!attributes) {
            return single(call, "EntityDefinitions", entityDefinition(table), ENTITY_TYPE);
        }
        String cast = m.group(3);
        List<Map<String, Object>> definitions = table.columns().stream().map(c -> attributeDefinition(table, c))
                .filter(d -> cast == null || d.get("@odata.type").equals("#" + cast)).toList();
        String path = "EntityDefinitions('" + table.logicalName() + "')/Attributes" + (cast == null ? "" : "/" + cast);
        if (m.group(2) == null) {
            return collection(call, path, definitions, ATTRIBUTE_TYPE, "@odata.type");
        }
        Map<String, Object> one = attribute(table, definitions, m.group(2));
        return single(call, path, one, ATTRIBUTE_TYPE);
    }

    private static EntitySchema table(String key) {
        Matcher byName = LOGICAL_NAME_KEY.matcher(key.strip());
        String id = key.strip().replace("{", "").replace("}", "").toLowerCase(Locale.ROOT);
        Optional<EntitySchema> table = byName.matches() ? EntitySchema.byLogicalName(byName.group(1))
                : EntitySchema.ALL.stream().filter(t -> t.metadataId().equals(id)).findFirst();
        return table.orElseThrow(() -> new DataverseApiException(HttpStatus.NOT_FOUND,
                DataverseApiException.OBJECT_DOES_NOT_EXIST, "Entity with " + (byName.matches()
                        ? "LogicalName = '" + byName.group(1) + "'" : "Id = " + key) + " was not found in the MetadataCache."));
    }

    private static Map<String, Object> attribute(EntitySchema table, List<Map<String, Object>> definitions, String key) {
        Matcher byName = LOGICAL_NAME_KEY.matcher(key.strip());
        String wanted = byName.matches() ? byName.group(1) : key.strip().toLowerCase(Locale.ROOT);
        String field = byName.matches() ? "LogicalName" : "MetadataId";
        return definitions.stream().filter(d -> wanted.equals(d.get(field))).findFirst()
                .orElseThrow(() -> new DataverseApiException(HttpStatus.NOT_FOUND,
                        DataverseApiException.OBJECT_DOES_NOT_EXIST, "Could not find attribute with " + field + " = '"
                                + wanted + "' on entity '" + table.logicalName() + "'."));
    }

    private static ApiResponse collection(ApiCall call, String path, List<Map<String, Object>> definitions, String type,
            String alwaysKept) {
        List<String> select = select(call, definitions, type);
        String filterText = call.query().get("$filter");
        ODataFilter filter = filterText == null || filterText.isBlank() ? null
                : ODataFilter.parse(filterText, properties(definitions, type));
        List<Map<String, Object>> value = new ArrayList<>();
        for (Map<String, Object> definition : definitions) {
            if (filter == null || filter.test(definition::get)) {
                value.add(project(definition, select, alwaysKept));
            }
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("@odata.context", call.context(path + (select == null ? "" : "(" + String.join(",", select) + ")")));
        body.put("value", value);
        return ApiResponse.ok(body);
    }

    private static ApiResponse single(ApiCall call, String path, Map<String, Object> definition, String type) {
        List<String> select = select(call, List.of(definition), type);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("@odata.context", call.context(path + (select == null ? "" : "(" + String.join(",", select) + ")")
                + "/$entity"));
        body.putAll(project(definition, select, "@odata.type"));
        return ApiResponse.ok(body);
    }

    private static List<String> select(ApiCall call, List<Map<String, Object>> definitions, String type) {
        String text = call.query().get("$select");
        if (text == null || text.isBlank()) {
            return null;
        }
        List<String> select = new ArrayList<>();
        for (String name : text.split(",")) {
            String property = name.strip();
            boolean known = definitions.stream().anyMatch(d -> d.containsKey(property))
                    || (type.equals(ATTRIBUTE_TYPE) && DERIVED_ATTRIBUTE_PROPERTIES.contains(property))
                    || (definitions.isEmpty() && !property.isEmpty());
            if (!known) {
                throw DataverseApiException.badQuery("Could not find a property named '" + property + "' on type '"
                        + type + "'.");
            }
            select.add(property);
        }
        return select;
    }

    /** The selected properties (MetadataId always, as the key) of a definition. */
    private static Map<String, Object> project(Map<String, Object> definition, List<String> select, String alwaysKept) {
        if (select == null) {
            return definition;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        if (alwaysKept != null && definition.containsKey(alwaysKept)) {
            out.put(alwaysKept, definition.get(alwaysKept));
        }
        for (String property : select) {
            if (definition.containsKey(property)) {
                out.put(property, definition.get(property));
            }
        }
        out.put("MetadataId", definition.get("MetadataId"));
        return out;
    }

    /** Filterable properties: the definitions' text, number and true/false values. */
    private static ODataFilter.Properties properties(List<Map<String, Object>> definitions, String type) {
        return new ODataFilter.Properties() {
            @Override
            public Optional<ODataFilter.Kind> kindOf(String property) {
                for (Map<String, Object> definition : definitions) {
                    Object value = definition.get(property);
                    if (value instanceof Boolean) {
                        return Optional.of(ODataFilter.Kind.BOOLEAN);
                    }
                    if (value instanceof Integer) {
                        return Optional.of(ODataFilter.Kind.INTEGER);
                    }
                    if (value instanceof String) {
                        return Optional.of(property.equals("MetadataId") ? ODataFilter.Kind.GUID : ODataFilter.Kind.STRING);
                    }
                }
                return Optional.empty();
            }

            @Override
            public String typeName() {
                return type;
            }
        };
    }

    static Map<String, Object> entityDefinition(EntitySchema table) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("MetadataId", table.metadataId());
        d.put("LogicalName", table.logicalName());
        d.put("SchemaName", table.displayName());
        d.put("EntitySetName", table.entitySetName());
        d.put("LogicalCollectionName", table.entitySetName());
        d.put("CollectionSchemaName", table.displayName() + "s");
        d.put("PrimaryIdAttribute", table.primaryId());
        d.put("PrimaryNameAttribute", table.primaryName());
        d.put("ObjectTypeCode", table.objectTypeCode());
        d.put("OwnershipType", "UserOwned");
        d.put("IsCustomEntity", false);
        d.put("IsActivity", false);
        d.put("IsManaged", true);
        d.put("IsValidForAdvancedFind", true);
        d.put("ChangeTrackingEnabled", true);
        d.put("DisplayName", label(table.displayName(), table.metadataId()));
        d.put("DisplayCollectionName", label(table == EntitySchema.OPPORTUNITY ? "Opportunities" : table.displayName() + "s",
                table.metadataId()));
        return d;
    }

    static Map<String, Object> attributeDefinition(EntitySchema table, Column column) {
        Map<String, Object> d = new LinkedHashMap<>();
        String id = table.attributeMetadataId(column);
        d.put("@odata.type", column.type().metadataType());
        d.put("MetadataId", id);
        d.put("LogicalName", column.logicalName());
        d.put("SchemaName", column.schemaName());
        d.put("EntityLogicalName", table.logicalName());
        d.put("AttributeType", column.type().attributeType());
        d.put("AttributeTypeName", Map.of("Value", column.type().attributeTypeName()));
        d.put("AttributeOf", null);
        d.put("IsPrimaryId", column.logicalName().equals(table.primaryId()));
        d.put("IsPrimaryName", column.logicalName().equals(table.primaryName()));
        d.put("IsCustomAttribute", false);
        d.put("IsValidForRead", true);
        d.put("IsValidForCreate", column.writable() || column.logicalName().equals(table.primaryId()));
        d.put("IsValidForUpdate", column.writable());
        Map<String, Object> required = new LinkedHashMap<>();
        required.put("Value", column.logicalName().equals(table.primaryId()) ? "SystemRequired" : "None");
        required.put("CanBeChanged", !column.logicalName().equals(table.primaryId()));
        required.put("ManagedPropertyLogicalName", "canmodifyrequirementlevelsettings");
        d.put("RequiredLevel", required);
        d.put("DisplayName", label(column.displayName(), id));
        switch (column.type()) {
            case STRING, MEMO -> d.put("MaxLength", column.maxLength());
            case LOOKUP, CUSTOMER, OWNER -> d.put("Targets", column.targets().stream().map(Column.Target::table).toList());
            case DATETIME, DATEONLY -> {
                boolean dateOnly = column.type() == ColumnType.DATEONLY;
                d.put("Format", dateOnly ? "DateOnly" : "DateAndTime");
                d.put("DateTimeBehavior", Map.of("Value", dateOnly ? "DateOnly" : "UserLocal"));
            }
            case MONEY -> d.put("Precision", 2);
            default -> {
            }
        }
        return d;
    }

    private static Map<String, Object> label(String text, String metadataId) {
        Map<String, Object> localized = new LinkedHashMap<>();
        localized.put("Label", text);
        localized.put("LanguageCode", 1033);
        localized.put("IsManaged", true);
        localized.put("MetadataId", EntitySchema.stableId("label:" + metadataId));
        localized.put("HasChanged", null);
        Map<String, Object> label = new LinkedHashMap<>();
        label.put("LocalizedLabels", List.of(localized));
        label.put("UserLocalizedLabel", localized);
        return label;
    }

    /** {@code $metadata}: the CSDL of the three tables, with change tracking annotated on their entity sets. */
    static ApiResponse csdl() {
        StringBuilder x = new StringBuilder();
        x.append("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n")
                .append("<edmx:Edmx Version=\"4.0\" xmlns:edmx=\"http://docs.oasis-open.org/odata/ns/edmx\">")
                .append("<edmx:DataServices><Schema Namespace=\"Microsoft.Dynamics.CRM\" Alias=\"mscrm\"")
                .append(" xmlns=\"http://docs.oasis-open.org/odata/ns/edm\">");
        for (EntitySchema table : EntitySchema.ALL) {
            x.append("<EntityType Name=\"").append(table.logicalName()).append("\">")
                    .append("<Key><PropertyRef Name=\"").append(table.primaryId()).append("\"/></Key>");
            for (Column column : table.columns()) {
                x.append("<Property Name=\"").append(column.property()).append("\" Type=\"")
                        .append(column.type().edmType()).append("\"/>");
            }
            for (Column column : table.columns()) {
                if (column.type().isLookup() && column.writable()) {
                    for (Column.Target target : column.targets()) {
                        x.append("<NavigationProperty Name=\"").append(target.navigation()).append("\" Type=\"mscrm.")
                                .append(target.table()).append("\"><ReferentialConstraint Property=\"")
                                .append(column.property()).append("\" ReferencedProperty=\"")
                                .append(EntitySchema.byLogicalName(target.table()).orElseThrow().primaryId())
                                .append("\"/></NavigationProperty>");
                    }
                }
            }
            x.append("</EntityType>");
        }
        x.append("<ComplexType Name=\"WhoAmIResponse\">");
        for (String property : List.of("BusinessUnitId", "UserId", "OrganizationId")) {
            x.append("<Property Name=\"").append(property).append("\" Type=\"Edm.Guid\" Nullable=\"false\"/>");
        }
        x.append("</ComplexType><Function Name=\"WhoAmI\"><ReturnType Type=\"mscrm.WhoAmIResponse\" Nullable=\"false\"/>")
                .append("</Function><EntityContainer Name=\"System\">");
        for (EntitySchema table : EntitySchema.ALL) {
            x.append("<EntitySet Name=\"").append(table.entitySetName()).append("\" EntityType=\"Microsoft.Dynamics.CRM.")
                    .append(table.logicalName()).append("\">");
            for (Column column : table.columns()) {
                if (column.type().isLookup() && column.writable()) {
                    for (Column.Target target : column.targets()) {
                        x.append("<NavigationPropertyBinding Path=\"").append(target.navigation()).append("\" Target=\"")
                                .append(EntitySchema.byLogicalName(target.table()).orElseThrow().entitySetName())
                                .append("\"/>");
                    }
                }
            }
            x.append("<Annotation Term=\"Org.OData.Capabilities.V1.ChangeTracking\"><Record>")
                    .append("<PropertyValue Property=\"Supported\" Bool=\"true\"/></Record></Annotation>")
                    .append("</EntitySet>");
        }
        x.append("<FunctionImport Name=\"WhoAmI\" Function=\"Microsoft.Dynamics.CRM.WhoAmI\"/>")
                .append("</EntityContainer></Schema></edmx:DataServices></edmx:Edmx>");
        return ApiResponse.xml(x.toString());
    }
}
