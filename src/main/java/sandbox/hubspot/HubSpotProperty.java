package sandbox.hubspot;

import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;

/**
 * One property definition of a CRM object type, as the properties API describes it.
 *
 * @param index position of the property's value in a {@link HubSpotRecord}
 * @param type HubSpot's data type: {@code string}, {@code number}, {@code datetime}, {@code enumeration} or {@code bool}
 * @param fieldType how HubSpot's UI edits it ({@code text}, {@code number}, {@code date}, {@code select}, ...)
 * @param readOnly maintained by HubSpot ({@code hs_object_id}, {@code createdate}, the modification date): a write
 *     is refused with {@code READ_ONLY_VALUE}
 * @param options the allowed values of an enumeration, empty otherwise
 */
record HubSpotProperty(int index, String name, String label, String type, String fieldType, String groupName,
        String description, boolean readOnly, boolean unique, List<Option> options) {

    /** One allowed value of an enumeration property. */
    record Option(String label, String value) {
    }

    HubSpotProperty {
        options = List.copyOf(options);
    }

    boolean isNumber() {
        return type.equals("number");
    }

    boolean isDateTime() {
        return type.equals("datetime");
    }

    boolean isEnumeration() {
        return type.equals("enumeration");
    }

    /**
     * A wire value as search compares it: datetimes as instants (epoch milliseconds or ISO), numbers as decimals,
     * enumerations as given, text lower-cased; null for none or for a number or datetime that does not parse.
     */
    Comparable<?> comparable(String value) {
        if (value == null) {
            return null;
        }
        if (isDateTime()) {
            return HubSpotJson.parseDateTime(value);
        }
        if (isNumber()) {
            try {
                return new BigDecimal(value.trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return isEnumeration() ? value : value.toLowerCase(Locale.ROOT);
    }

    boolean allows(String value) {
        return options.stream().anyMatch(o -> o.value().equals(value));
    }
}
