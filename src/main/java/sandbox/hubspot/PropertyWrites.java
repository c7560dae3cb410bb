package sandbox.hubspot;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The {@code properties} of a create or update, checked as HubSpot checks them: every property must exist and be
 * writable, numbers must be numbers, enumerations one of their options, datetimes epoch milliseconds or ISO times
 * (stored in HubSpot's ISO form), emails addresses; an empty string (or null) clears a value. Problems are answered
 * together, in HubSpot's {@code Property values were not valid} error.
 */
final class PropertyWrites {

    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
    /** What a create must set, by type: companies a name or a domain; deals a name, a stage and a pipeline. */
    private static final Map<HubSpotObjectType, List<List<String>>> REQUIRED = Map.of(
            HubSpotObjectType.COMPANIES, List.of(List.of("name", "domain")),
            HubSpotObjectType.CONTACTS, List.of(),
            HubSpotObjectType.DEALS, List.of(List.of("dealname"), List.of("dealstage"), List.of("pipeline")));

    private PropertyWrites() {
    }

    /** The values of a {@code properties} object (absent: none), normalized; a 400 naming every bad one. */
    static Map<String, String> read(HubSpotObjectType type, JsonNode properties, boolean create) {
        Map<String, String> values = new LinkedHashMap<>();
        if (properties == null || properties.isNull()) {
            properties = HubSpotJson.MAPPER.createObjectNode();
        }
        if (!properties.isObject()) {
            throw HubSpotApiException.validation("Invalid input JSON: properties must be an object of property names to values");
        }
        List<HubSpotApiException.PropertyProblem> problems = new ArrayList<>();
        // a property given with a bad value is reported for its value, not as missing as well
        java.util.Set<String> given = new java.util.HashSet<>();
        Iterator<Map.Entry<String, JsonNode>> fields = properties.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String name = field.getKey();
            JsonNode node = field.getValue();
            HubSpotProperty property = type.property(name).orElse(null);
            if (property == null) {
                problems.add(new HubSpotApiException.PropertyProblem(name, "PROPERTY_DOESNT_EXIST",
                        "Property \"" + name + "\" does not exist"));
                continue;
            }
            if (property.readOnly()) {
                problems.add(new HubSpotApiException.PropertyProblem(name, "READ_ONLY_VALUE",
                        "\"" + name + "\" is a read only property; its value cannot be set."));
                continue;
            }
            if (!(node.isNull() || node.isValueNode())) {
                problems.add(new HubSpotApiException.PropertyProblem(name, "INVALID_STRING",
                        name + " must be a string, number or boolean"));
                continue;
            }
            String value = node.isNull() ? "" : node.asText();
            if (!value.isEmpty()) {
                given.add(name);
            }
            String problem = value.isEmpty() ? null : check(property, value);
            if (problem != null) {
                problems.add(new HubSpotApiException.PropertyProblem(name, code(property), problem));
                continue;
            }
            values.put(name, value.isEmpty() ? "" : normalize(property, value));
        }
        if (create) {
            for (List<String> anyOf : REQUIRED.get(type)) {
                boolean set = anyOf.stream().anyMatch(given::contains);
                if (!set) {
                    problems.add(new HubSpotApiException.PropertyProblem(anyOf.get(0), "REQUIRED_FIELD",
                            anyOf.size() == 1 ? anyOf.get(0) + " is required"
                                    : "one of " + String.join(", ", anyOf) + " is required"));
                }
            }
        }
        if (!problems.isEmpty()) {
            throw HubSpotApiException.invalidProperties(problems);
        }
        return values;
    }

    private static String check(HubSpotProperty property, String value) {
        if (property.isNumber()) {
            try {
                new BigDecimal(value.trim());
                return null;
            } catch (NumberFormatException e) {
                return value + " was not a valid number.";
            }
        }
        if (property.isEnumeration() && !property.allows(value)) {
            return value + " was not one of the allowed options: "
                    + property.options().stream().map(HubSpotProperty.Option::value).toList();
        }
        if (property.isDateTime() && HubSpotJson.parseDateTime(value) == null) {
            return value + " was not a valid date: use milliseconds since the epoch or an ISO 8601 time";
        }
        if (property.name().equals("email") && !EMAIL.matcher(value.trim()).matches()) {
            return "Email address " + value + " is invalid";
        }
        return null;
    }

    private static String code(HubSpotProperty property) {
        if (property.isNumber()) {
            return "INVALID_INTEGER";
        }
        if (property.isEnumeration()) {
            return "INVALID_OPTION";
        }
        if (property.isDateTime()) {
            return "INVALID_DATE";
        }
        return property.name().equals("email") ? "INVALID_EMAIL" : "INVALID_STRING";
    }

    private static String normalize(HubSpotProperty property, String value) {
        if (property.isDateTime()) {
            Instant at = HubSpotJson.parseDateTime(value);
            return HubSpotJson.dateTime(at);
        }
        return property.isNumber() ? value.trim() : value;
    }
}
