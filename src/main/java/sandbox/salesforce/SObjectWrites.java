package sandbox.salesforce;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;

/** Reads a create or update body into typed field values, with Salesforce's validation errors. */
final class SObjectWrites {

    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");

    private SObjectWrites() {
    }

    static Map<SObjectField, Object> read(SObjectSchema type, byte[] body, boolean create) {
        JsonNode root = parse(body);
        Map<SObjectField, Object> values = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> entries = root.fields();
        while (entries.hasNext()) {
            Map.Entry<String, JsonNode> entry = entries.next();
            if (entry.getKey().equals("attributes")) {
                continue;
            }
            SObjectField field = type.field(entry.getKey()).orElseThrow(() -> SalesforceApiException.badRequest(
                    "INVALID_FIELD", "No such column '" + entry.getKey() + "' on sobject of type " + type.name()));
            if (create ? !field.createable() : !field.updateable()) {
                throw new SalesforceApiException(HttpStatus.BAD_REQUEST, "INVALID_FIELD_FOR_INSERT_UPDATE",
                        "Unable to create/update fields: " + field.name() + ". Please check the security settings"
                                + " of this field and verify that it is read/write for your profile or permission set.",
                        List.of(field.name()));
            }
            values.put(field, convert(field, entry.getValue()));
        }
        List<String> missing = new ArrayList<>();
        for (SObjectField f : type.fields()) {
            boolean required = create ? f.requiredOnCreate() : !f.nillable() && values.containsKey(f);
            if (required && values.get(f) == null) {
                missing.add(f.name());
            }
        }
        if (!missing.isEmpty()) {
            throw new SalesforceApiException(HttpStatus.BAD_REQUEST, "REQUIRED_FIELD_MISSING",
                    "Required fields are missing: " + missing, missing);
        }
        return values;
    }

    private static JsonNode parse(byte[] body) {
        if (body == null || body.length == 0) {
            throw jsonError("No content to map due to end-of-input");
        }
        try {
            JsonNode root = SandboxJson.read(body);
            if (root == null || !root.isObject()) {
                throw jsonError("Cannot deserialize instance of SObject from " + (root == null ? "empty" : root.getNodeType())
                        + " value");
            }
            return root;
        } catch (IOException e) {
            throw jsonError(e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage()
                    : e.getMessage());
        }
    }

    private static Object convert(SObjectField field, JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        SObjectFieldType type = field.type();
        if (type.isText()) {
            if (!node.isValueNode()) {
                throw cannotDeserialize("string", node);
            }
            String text = node.asText();
            // Salesforce stores an empty or all-whitespace text value as null
            if (text.isBlank()) {
                return null;
            }
            return text(field, text);
        }
        if (type.isNumber()) {
            if (node.isNumber()) {
                return type == SObjectFieldType.INT ? (Object) integer(field, node) : node.doubleValue();
            }
            if (node.isTextual()) {
                try {
                    double value = Double.parseDouble(node.asText().trim());
                    return type == SObjectFieldType.INT ? (Object) (int) value : value;
                } catch (NumberFormatException e) {
                    throw cannotDeserialize(type.describeName(), node);
                }
            }
            throw cannotDeserialize(type.describeName(), node);
        }
        return switch (type) {
            case BOOLEAN -> {
                if (node.isBoolean()) {
                    yield node.booleanValue();
                }
                throw cannotDeserialize("boolean", node);
            }
            case DATE -> date(node);
            case DATETIME -> dateTime(node);
            default -> throw cannotDeserialize(type.describeName(), node);
        };
    }

    private static Object text(SObjectField field, String text) {
        if (field.type().isIdLike()) {
            String id = SalesforceIds.normalize(text);
            if (id == null) {
                throw new SalesforceApiException(HttpStatus.BAD_REQUEST, "MALFORMED_ID",
                        field.label() + ": id value of incorrect type: " + text, List.of(field.name()));
            }
            return id;
        }
        if (field.length() > 0 && text.length() > field.length()) {
            throw new SalesforceApiException(HttpStatus.BAD_REQUEST, "STRING_TOO_LONG", field.label()
                    + ": data value too large: " + text + " (max length=" + field.length() + ")", List.of(field.name()));
        }
        if (field.type() == SObjectFieldType.EMAIL && !EMAIL.matcher(text).matches()) {
            throw new SalesforceApiException(HttpStatus.BAD_REQUEST, "INVALID_EMAIL_ADDRESS",
                    field.label() + ": invalid email address: " + text, List.of(field.name()));
        }
        return text;
    }

    private static int integer(SObjectField field, JsonNode node) {
        if (!node.canConvertToInt()) {
            throw new SalesforceApiException(HttpStatus.BAD_REQUEST, "NUMBER_OUTSIDE_VALID_RANGE",
                    field.label() + ": value outside of valid range on numeric field: " + node.asText(),
                    List.of(field.name()));
        }
        return (int) node.doubleValue();
    }

    private static LocalDate date(JsonNode node) {
        if (node.isTextual()) {
            String text = node.asText().trim();
            try {
                // Salesforce also takes a datetime for a date field and keeps the date part
                return text.length() > 10 ? OffsetDateTime.parse(text).toLocalDate() : LocalDate.parse(text);
            } catch (DateTimeParseException e) {
                // reported below
            }
        }
        throw cannotDeserialize("date", node);
    }

    private static Object dateTime(JsonNode node) {
        if (node.isTextual()) {
            String text = node.asText().trim();
            if (text.matches(".*[+-]\\d{4}$")) {
                // Salesforce's own form, 2025-01-01T09:00:00.000+0000, comes back as it was read
                text = text.substring(0, text.length() - 2) + ":" + text.substring(text.length() - 2);
            }
            try {
                return OffsetDateTime.parse(text).toInstant();
            } catch (DateTimeParseException e) {
                // reported below
            }
        }
        throw cannotDeserialize("datetime", node);
    }

    private static SalesforceApiException cannotDeserialize(String typeName, JsonNode node) {
        String token = switch (node.getNodeType()) {
            case STRING -> "VALUE_STRING";
            case NUMBER -> node.isIntegralNumber() ? "VALUE_NUMBER_INT" : "VALUE_NUMBER_FLOAT";
            case BOOLEAN -> node.booleanValue() ? "VALUE_TRUE" : "VALUE_FALSE";
            case ARRAY -> "START_ARRAY";
            default -> "START_OBJECT";
        };
        return jsonError("Cannot deserialize instance of " + typeName + " from " + token + " value "
                + (node.isValueNode() ? node.asText() : "") + " or request may be missing a required field");
    }

    private static SalesforceApiException jsonError(String message) {
        return SalesforceApiException.badRequest("JSON_PARSER_ERROR", message);
    }
}
