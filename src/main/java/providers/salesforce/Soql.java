package providers.salesforce;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import providers.PermanentProviderException;
import providers.PullFilter;

/** The SOQL the adapter sends: field lists and datetime literals built from validated parts only. */
final class Soql {

    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,79}");
    /** Salesforce writes datetimes as 2024-01-01T00:00:00.000+0000; ISO forms are accepted too, without an offset as UTC. */
    private static final DateTimeFormatter SALESFORCE_DATETIME = new DateTimeFormatterBuilder()
            .append(DateTimeFormatter.ISO_LOCAL_DATE_TIME)
            .optionalStart().appendOffset("+HHMM", "Z").optionalEnd()
            .optionalStart().appendOffset("+HH:MM", "Z").optionalEnd()
            .parseDefaulting(ChronoField.OFFSET_SECONDS, 0)
            .toFormatter();
    private static final DateTimeFormatter LITERAL = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

    private Soql() {
    }

    /** {@code SELECT fields FROM entity [WHERE filters AND versionField >= since] ORDER BY versionField ASC}. */
    static String changedSince(String entity, List<String> fields, String versionField, List<PullFilter> filters, String since) {
        Set<String> select = new LinkedHashSet<>();
        select.add("Id");
        fields.forEach(f -> select.add(name(f)));
        select.add(name(versionField));
        StringBuilder soql = new StringBuilder("SELECT ").append(String.join(", ", select))
                .append(" FROM ").append(name(entity));
        List<String> conditions = new ArrayList<>();
        for (PullFilter filter : filters) {
            conditions.add(name(filter.field()) + " " + operator(filter.op()) + " " + literal(filter.value()));
        }
        if (since != null) {
            // seconds precision and >= : a record sharing the boundary second is fetched again, never skipped
            conditions.add(versionField + " >= " + LITERAL.format(parseDateTime(since).truncatedTo(ChronoUnit.SECONDS)));
        }
        if (!conditions.isEmpty()) {
            soql.append(" WHERE ").append(String.join(" AND ", conditions));
        }
        return soql.append(" ORDER BY ").append(versionField).append(" ASC").toString();
    }

    private static String operator(String op) {
        if (!PullFilter.OPERATORS.contains(op)) {
            throw new PermanentProviderException("unsupported filter operator '" + op + "'");
        }
        return op;
    }

    /** SOQL literal: quoted and escaped strings, plain numbers and booleans, null. */
    static String literal(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof Number || value instanceof Boolean) {
            return value.toString();
        }
        String text = value.toString();
        StringBuilder quoted = new StringBuilder("'");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '\\' -> quoted.append("\\\\");
                case '\'' -> quoted.append("\\'");
                case '\n' -> quoted.append("\\n");
                case '\r' -> quoted.append("\\r");
                case '\t' -> quoted.append("\\t");
                default -> quoted.append(c);
            }
        }
        return quoted.append('\'').toString();
    }

    static Instant parseDateTime(String value) {
        try {
            return OffsetDateTime.parse(value.trim(), SALESFORCE_DATETIME).toInstant();
        } catch (DateTimeParseException e) {
            throw new PermanentProviderException("not a Salesforce datetime: '" + value + "'");
        }
    }

    static String name(String name) {
        if (!NAME.matcher(name).matches()) {
            throw new PermanentProviderException("not a Salesforce field or object name: '" + name + "'");
        }
        return name;
    }
}
