package sandbox.dynamics365;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * A {@code $filter} expression in the OData subset Dataverse clients send: {@code eq ne gt ge lt le}, {@code and or
 * not}, parentheses, {@code contains/startswith/endswith(property,'text')}, and literals (quoted strings with
 * {@code ''} escapes, unquoted GUIDs, datetimes and dates, numbers, {@code true false null}). Properties are checked
 * against the table when parsed; text compares case-insensitively, as Dataverse's database collation does.
 */
final class ODataFilter {

    /** The kinds of values a property holds, for type checks and comparisons. */
    enum Kind {
        STRING("Edm.String"), INTEGER("Edm.Int32"), DECIMAL("Edm.Decimal"), GUID("Edm.Guid"),
        DATETIME("Edm.DateTimeOffset"), DATE("Edm.Date"), BOOLEAN("Edm.Boolean");

        final String edm;

        Kind(String edm) {
            this.edm = edm;
        }

        static Kind of(ColumnType type) {
            return switch (type) {
                case STRING, MEMO -> STRING;
                case INTEGER, BIGINT, PICKLIST, STATE, STATUS -> INTEGER;
                case MONEY -> DECIMAL;
                case UNIQUEIDENTIFIER, LOOKUP, CUSTOMER, OWNER -> GUID;
                case DATETIME -> DATETIME;
                case DATEONLY -> DATE;
            };
        }
    }

    /** What the filter may name: a property's kind, or empty when the type has no such property. */
    interface Properties {
        Optional<Kind> kindOf(String property);

        /** {@code Microsoft.Dynamics.CRM.account}, for messages. */
        String typeName();
    }

    private interface Node {
        boolean test(Function<String, Object> row);
    }

    private static final Pattern GUID = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final Pattern DATETIME = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T[0-9:.]+(Z|[+-]\\d{2}:\\d{2})?");
    private static final Pattern INTEGER = Pattern.compile("-?\\d+");
    private static final Pattern DECIMAL = Pattern.compile("-?\\d+\\.\\d+[mMdD]?|-?\\d+[mM]");
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final List<String> COMPARISONS = List.of("eq", "ne", "gt", "ge", "lt", "le");
    private static final List<String> OPERATOR_KINDS = List.of("Equal", "NotEqual", "GreaterThan", "GreaterThanOrEqual",
            "LessThan", "LessThanOrEqual");
    private static final List<String> FUNCTIONS = List.of("contains", "startswith", "endswith");

    private final Node root;
    private final List<String> properties;

    private ODataFilter(Node root, List<String> properties) {
        this.root = root;
        this.properties = properties;
    }

    /**
     * Parses and type-checks a filter.
     *
     * @throws DataverseApiException 400 naming the problem: a syntax error and its position, an unknown property,
     *     operands of incompatible types
     */
    static ODataFilter parse(String text, Properties properties) {
        Parser parser = new Parser(text, properties);
        Node root = parser.expression();
        if (parser.peek() != null) {
            throw parser.syntaxError(parser.peek().position);
        }
        return new ODataFilter(root, List.copyOf(parser.named));
    }

    /** Whether a row matches; {@code row} gives a property's stored value (null when empty). */
    boolean test(Function<String, Object> row) {
        return root.test(row);
    }

    /** The properties the filter names. */
    List<String> properties() {
        return properties;
    }

    private record Token(String text, int position, boolean quoted) {
    }

    /** An operand: a property (name set) or a literal (value and kind; a null literal has neither). */
    private record Operand(String property, Kind kind, Object value, boolean isNull) {
    }

    private static final class Parser {
        private final String text;
        private final Properties properties;
        private final List<Token> tokens = new ArrayList<>();
        private final List<String> named = new ArrayList<>();
        private int next;

        Parser(String text, Properties properties) {
            this.text = text;
            this.properties = properties;
            tokenize();
        }

        private void tokenize() {
            int i = 0;
            while (i < text.length()) {
                char c = text.charAt(i);
                if (Character.isWhitespace(c)) {
                    i++;
                } else if (c == '(' || c == ')' || c == ',') {
                    tokens.add(new Token(String.valueOf(c), i, false));
                    i++;
                } else if (c == '\'') {
                    int start = i;
                    StringBuilder value = new StringBuilder();
                    i++;
                    while (true) {
                        if (i >= text.length()) {
                            throw badQuery("There is an unterminated string literal at position " + start + " in '" + text + "'.");
                        }
                        char s = text.charAt(i);
                        if (s == '\'') {
                            if (i + 1 < text.length() && text.charAt(i + 1) == '\'') {
                                value.append('\'');
                                i += 2;
                                continue;
                            }
                            i++;
                            break;
                        }
                        value.append(s);
                        i++;
                    }
                    tokens.add(new Token(value.toString(), start, true));
                } else {
                    int start = i;
                    while (i < text.length() && isWordChar(text.charAt(i))) {
                        i++;
                    }
                    if (start == i) {
                        throw syntaxError(i);
                    }
                    tokens.add(new Token(text.substring(start, i), start, false));
                }
            }
        }

        private static boolean isWordChar(char c) {
            return Character.isLetterOrDigit(c) || c == '_' || c == '.' || c == ':' || c == '-' || c == '+' || c == '/';
        }

        Token peek() {
            return next < tokens.size() ? tokens.get(next) : null;
        }

        private boolean peekWord(String word) {
            Token t = peek();
            return t != null && !t.quoted && t.text.equalsIgnoreCase(word);
        }

        private Token take() {
            Token t = peek();
            if (t == null) {
                throw badQuery("Expression expected at position " + text.length() + " in '" + text + "'.");
            }
            next++;
            return t;
        }

        private void expect(String symbol) {
            Token t = peek();
            if (t == null || t.quoted || !t.text.equals(symbol)) {
                throw badQuery("'" + symbol + "' expected at position " + (t == null ? text.length() : t.position)
                        + " in '" + text + "'.");
            }
            next++;
        }

        Node expression() {
            Node left = conjunction();
            while (peekWord("or")) {
                next++;
                Node l = left;
                Node r = conjunction();
                left = row -> l.test(row) || r.test(row);
            }
            return left;
        }

        private Node conjunction() {
            Node left = negation();
            while (peekWord("and")) {
                next++;
                Node l = left;
                Node r = negation();
                left = row -> l.test(row) && r.test(row);
            }
            return left;
        }

        private Node negation() {
            if (peekWord("not")) {
                next++;
                Node inner = negation();
                return row -> !inner.test(row);
            }
            return primary();
        }

        private Node primary() {
            Token t = peek();
            if (t != null && !t.quoted && t.text.equals("(")) {
                next++;
                Node inner = expression();
                expect(")");
                return inner;
            }
            if (t != null && !t.quoted && FUNCTIONS.contains(t.text.toLowerCase(Locale.ROOT))
                    && next + 1 < tokens.size() && tokens.get(next + 1).text.equals("(") && !tokens.get(next + 1).quoted) {
                return function();
            }
            Operand left = operand();
            Token op = take();
            String operator = op.text.toLowerCase(Locale.ROOT);
            if (op.quoted || !COMPARISONS.contains(operator)) {
                throw syntaxError(op.position);
            }
            Operand right = operand();
            return comparison(left, operator, right);
        }

        private Node function() {
            Token name = take();
            String function = name.text.toLowerCase(Locale.ROOT);
            expect("(");
            Operand property = operand();
            expect(",");
            Operand literal = operand();
            expect(")");
            if (property.property == null || property.kind != Kind.STRING || literal.property != null
                    || literal.kind != Kind.STRING) {
                throw badQuery("No function signature for the function with name '" + function
                        + "' matches the specified arguments. The function signatures considered are: " + function
                        + "(Edm.String Nullable=true, Edm.String Nullable=true).");
            }
            String key = property.property;
            String needle = ((String) literal.value).toLowerCase(Locale.ROOT);
            return row -> {
                Object value = row.apply(key);
                if (value == null) {
                    return false;
                }
                String hay = value.toString().toLowerCase(Locale.ROOT);
                return switch (function) {
                    case "contains" -> hay.contains(needle);
                    case "startswith" -> hay.startsWith(needle);
                    default -> hay.endsWith(needle);
                };
            };
        }

        private Operand operand() {
            Token t = take();
            if (t.quoted) {
                return new Operand(null, Kind.STRING, t.text, false);
            }
            String word = t.text;
            String lower = word.toLowerCase(Locale.ROOT);
            if (word.equals("(") || word.equals(")") || word.equals(",")) {
                throw syntaxError(t.position);
            }
            if (lower.equals("null")) {
                return new Operand(null, null, null, true);
            }
            if (lower.equals("true") || lower.equals("false")) {
                return new Operand(null, Kind.BOOLEAN, Boolean.valueOf(lower), false);
            }
            if (GUID.matcher(word).matches()) {
                return new Operand(null, Kind.GUID, lower, false);
            }
            if (DATE.matcher(word).matches()) {
                try {
                    return new Operand(null, Kind.DATE, LocalDate.parse(word), false);
                } catch (DateTimeParseException e) {
                    throw badLiteral(word);
                }
            }
            if (DATETIME.matcher(word).matches()) {
                try {
                    String withZone = word.endsWith("Z") || word.matches(".*[+-]\\d{2}:\\d{2}$") ? word : word + "Z";
                    return new Operand(null, Kind.DATETIME, OffsetDateTime.parse(withZone).toInstant(), false);
                } catch (DateTimeParseException e) {
                    throw badLiteral(word);
                }
            }
            if (INTEGER.matcher(word).matches()) {
                return new Operand(null, Kind.INTEGER, new BigDecimal(word), false);
            }
            if (DECIMAL.matcher(word).matches()) {
                return new Operand(null, Kind.DECIMAL, new BigDecimal(word.replaceAll("[mMdD]$", "")), false);
            }
            if (IDENTIFIER.matcher(word).matches() && !COMPARISONS.contains(lower)
                    && !List.of("and", "or", "not").contains(lower)) {
                Kind kind = properties.kindOf(word).orElseThrow(() -> badQuery("Could not find a property named '"
                        + word + "' on type '" + properties.typeName() + "'."));
                named.add(word);
                return new Operand(word, kind, null, false);
            }
            if (word.contains("/")) {
                throw badQuery("The sandbox does not filter on related rows ('" + word + "'): filter on this table's"
                        + " own properties, e.g. a lookup's _<name>_value.");
            }
            throw syntaxError(t.position);
        }

        private Node comparison(Operand left, String operator, Operand right) {
            String kindName = OPERATOR_KINDS.get(COMPARISONS.indexOf(operator));
            if (left.property == null && right.property == null) {
                throw badQuery("The sandbox compares a property with a value; both sides of '" + operator
                        + "' are values in '" + text + "'.");
            }
            if (left.isNull || right.isNull) {
                Operand property = left.isNull ? right : left;
                if (!operator.equals("eq") && !operator.equals("ne")) {
                    return row -> false;
                }
                boolean wantNull = operator.equals("eq");
                return row -> (row.apply(property.property) == null) == wantNull;
            }
            Kind leftKind = left.kind;
            Kind rightKind = right.kind;
            if (!compatible(leftKind, rightKind)) {
                throw badQuery("A binary operator with incompatible types was detected. Found operand types '"
                        + leftKind.edm + "' and '" + rightKind.edm + "' for operator kind '" + kindName + "'.");
            }
            if ((leftKind == Kind.BOOLEAN || rightKind == Kind.BOOLEAN) && !operator.equals("eq") && !operator.equals("ne")) {
                throw badQuery("A binary operator with incompatible types was detected. Found operand types '"
                        + leftKind.edm + "' and '" + rightKind.edm + "' for operator kind '" + kindName + "'.");
            }
            return row -> {
                Object a = left.property != null ? row.apply(left.property) : left.value;
                Object b = right.property != null ? row.apply(right.property) : right.value;
                if (a == null || b == null) {
                    // a comparison with an empty column: only ne holds, as in SQL's IS NOT / <> with nulls in OData
                    return operator.equals("ne") && (a != null || b != null);
                }
                int c = compare(a, b);
                return switch (operator) {
                    case "eq" -> c == 0;
                    case "ne" -> c != 0;
                    case "gt" -> c > 0;
                    case "ge" -> c >= 0;
                    case "lt" -> c < 0;
                    default -> c <= 0;
                };
            };
        }

        private static boolean compatible(Kind a, Kind b) {
            if (a == b) {
                return true;
            }
            boolean numbers = (a == Kind.INTEGER || a == Kind.DECIMAL) && (b == Kind.INTEGER || b == Kind.DECIMAL);
            boolean dates = (a == Kind.DATETIME || a == Kind.DATE) && (b == Kind.DATETIME || b == Kind.DATE);
            return numbers || dates;
        }

        DataverseApiException syntaxError(int position) {
            return badQuery("Syntax error at position " + position + " in '" + text + "'.");
        }

        private DataverseApiException badLiteral(String word) {
            return badQuery("Unrecognized literal '" + word + "' in '" + text + "'.");
        }

        private static DataverseApiException badQuery(String message) {
            return DataverseApiException.badQuery(message);
        }
    }

    /** Compares two non-null values of compatible kinds: text case-insensitively, numbers, instants, dates, GUIDs. */
    static int compare(Object a, Object b) {
        a = normalize(a);
        b = normalize(b);
        if (a instanceof String s && b instanceof String t) {
            return s.compareToIgnoreCase(t);
        }
        if (a instanceof BigDecimal x && b instanceof BigDecimal y) {
            return x.compareTo(y);
        }
        if (a instanceof Instant x && b instanceof Instant y) {
            return x.compareTo(y);
        }
        if (a instanceof Boolean x && b instanceof Boolean y) {
            return Boolean.compare(x, y);
        }
        throw new IllegalArgumentException("cannot compare " + a.getClass().getSimpleName() + " with "
                + b.getClass().getSimpleName());
    }

    /** Numbers as BigDecimal, dates as the instant of their midnight (UTC), references as their id. */
    private static Object normalize(Object value) {
        if (value instanceof EntityReference ref) {
            return ref.id();
        }
        if (value instanceof Integer || value instanceof Long) {
            return BigDecimal.valueOf(((Number) value).longValue());
        }
        if (value instanceof LocalDate date) {
            return date.atStartOfDay().toInstant(ZoneOffset.UTC);
        }
        return value;
    }
}
