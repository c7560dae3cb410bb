package sandbox.dynamics365;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;

/**
 * A create or update body read into column values: writable columns by logical name, lookups set through their
 * navigation property ({@code "parentcustomerid_account@odata.bind": "/accounts(<guid>)"}, relative, rooted or
 * absolute; null clears). Read-only columns are ignored; an unknown property, a {@code _x_value} lookup property, a
 * value of the wrong type, text too long or a choice out of range is a 400 worded as Dataverse words it.
 */
final class RowPayload {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern BIND = Pattern.compile("(?:.*/)?([A-Za-z_][A-Za-z0-9_]*)\\(\\{?([0-9a-fA-F-]{36})\\}?\\)$");

    private RowPayload() {
    }

    /** The body's values; the primary key, when the body names one, under its logical name. */
    static Map<String, Object> read(EntitySchema table, byte[] body) {
        JsonNode root = parse(table, body);
        Map<String, Object> values = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = root.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String key = field.getKey();
            JsonNode value = field.getValue();
            if (key.endsWith("@odata.bind")) {
                bind(table, key.substring(0, key.length() - "@odata.bind".length()), value, values);
            } else if (key.contains("@")) {
                // instance annotations (@odata.type, formatted values echoed back) carry no data
                continue;
            } else {
                Column column = table.column(key).orElseThrow(() -> invalidProperty(table, key));
                if (column.type().isLookup()) {
                    throw DataverseApiException.badQuery("CRM do not support direct update of Entity Reference"
                            + " properties, Use Navigation properties instead.");
                }
                if (column.writable() || column.logicalName().equals(table.primaryId())) {
                    values.put(column.logicalName(), convert(table, column, value));
                }
            }
        }
        return values;
    }

    private static JsonNode parse(EntitySchema table, byte[] body) {
        if (body == null || body.length == 0) {
            throw DataverseApiException.badQuery("The request body is empty: send the " + table.logicalName()
                    + " as a JSON object.");
        }
        try {
            JsonNode root = JSON.readTree(body);
            if (root == null || !root.isObject()) {
                throw DataverseApiException.badQuery("The request body must be a JSON object (an "
                        + table.logicalName() + ").");
            }
            return root;
        } catch (JsonProcessingException e) {
            throw DataverseApiException.badQuery("Error identified in Payload provided by the user for Entity :'"
                    + table.entitySetName() + "'  ---->  InnerException : The request body is not valid JSON: "
                    + e.getOriginalMessage());
        } catch (IOException e) {
            throw DataverseApiException.badQuery("The request body could not be read: " + e.getMessage());
        }
    }

    private static void bind(EntitySchema table, String navigation, JsonNode value, Map<String, Object> values) {
        Column column = table.lookupByNavigation(navigation).orElseThrow(() -> new DataverseApiException(
                HttpStatus.BAD_REQUEST, DataverseApiException.PAYLOAD_ERROR,
                "Error identified in Payload provided by the user for Entity :'" + table.entitySetName()
                        + "'  ---->  InnerException : Microsoft.OData.ODataException: An undeclared property '"
                        + navigation + "' which only has property annotations in the payload but no property value"
                        + " was found in the payload. In OData, only declared navigation properties and declared named"
                        + " streams can be represented as properties without values."));
        Column.Target target = column.targetByNavigation(navigation).orElseThrow();
        if (value == null || value.isNull()) {
            values.put(column.logicalName(), null);
            return;
        }
        Matcher m = value.isTextual() ? BIND.matcher(value.asText().strip()) : null;
        if (m == null || !m.matches()) {
            throw DataverseApiException.badQuery("The value of '" + navigation + "@odata.bind' must be a URL of a row,"
                    + " like /" + EntitySchema.byLogicalName(target.table()).map(EntitySchema::entitySetName).orElse("")
                    + "(00000000-0000-0000-0000-000000000001), not " + value);
        }
        EntitySchema targetTable = EntitySchema.byLogicalName(target.table()).orElseThrow();
        if (!m.group(1).equals(targetTable.entitySetName())) {
            throw DataverseApiException.badQuery("'" + navigation + "' binds to " + targetTable.entitySetName()
                    + ", not to " + m.group(1) + ".");
        }
        // a customer lookup holds one row: binding one of its navigation properties replaces the other
        values.put(column.logicalName(), new EntityReference(targetTable.logicalName(), m.group(2).toLowerCase(Locale.ROOT)));
    }

    private static Object convert(EntitySchema table, Column column, JsonNode value) {
        if (value.isNull()) {
            return null;
        }
        String edm = column.type().edmType();
        switch (column.type()) {
            case STRING, MEMO -> {
                if (!value.isTextual()) {
                    throw cannotConvert(value, edm);
                }
                String text = value.asText();
                if (column.maxLength() > 0 && text.length() > column.maxLength()) {
                    throw new DataverseApiException(HttpStatus.BAD_REQUEST, DataverseApiException.TEXT_TOO_LONG,
                            "A validation error occurred. The length of the '" + column.logicalName() + "' attribute of"
                                    + " the '" + table.logicalName() + "' entity exceeded the maximum allowed length of '"
                                    + column.maxLength() + "'.");
                }
                return text;
            }
            case INTEGER, PICKLIST, STATE, STATUS -> {
                if (!value.isIntegralNumber() || !value.canConvertToInt()) {
                    throw cannotConvert(value, edm);
                }
                int n = value.intValue();
                if (column.type().isChoice() && !column.options().containsKey(n)) {
                    throw new DataverseApiException(HttpStatus.BAD_REQUEST, DataverseApiException.OUT_OF_RANGE,
                            "A validation error occurred. The value " + n + " of '" + column.logicalName()
                                    + "' on record of type '" + table.logicalName() + "' is outside the valid range.");
                }
                return n;
            }
            case MONEY -> {
                if (!value.isNumber()) {
                    throw cannotConvert(value, edm);
                }
                return DataverseSeed.money(value.decimalValue());
            }
            case DATETIME -> {
                try {
                    return OffsetDateTime.parse(value.asText()).toInstant().truncatedTo(ChronoUnit.MILLIS);
                } catch (DateTimeParseException e) {
                    throw cannotConvert(value, edm);
                }
            }
            case DATEONLY -> {
                try {
                    return LocalDate.parse(value.asText());
                } catch (DateTimeParseException e) {
                    throw cannotConvert(value, edm);
                }
            }
            case UNIQUEIDENTIFIER -> {
                try {
                    return java.util.UUID.fromString(value.asText().replace("{", "").replace("}", "")).toString();
                } catch (IllegalArgumentException e) {
                    throw cannotConvert(value, edm);
                }
            }
            default -> {
                return value.isNumber() ? new BigDecimal(value.asText()) : value.asText();
            }
        }
    }

    private static DataverseApiException invalidProperty(EntitySchema table, String property) {
        return DataverseApiException.invalidPayload("Microsoft.Crm.CrmException: Invalid property '" + property
                + "' was found in entity '" + table.typeName() + "'. ---> Microsoft.OData.ODataException: Does not"
                + " support untyped value in non-open type.");
    }

    private static DataverseApiException cannotConvert(JsonNode value, String edm) {
        return DataverseApiException.invalidPayload("Microsoft.OData.ODataException: Cannot convert the literal '"
                + (value.isTextual() ? value.asText() : value.toString()) + "' to the expected type '" + edm + "'.");
    }
}
