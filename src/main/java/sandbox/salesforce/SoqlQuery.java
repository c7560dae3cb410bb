package sandbox.salesforce;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The SOQL subset the sandbox answers, parsed and checked against the schema:
 * {@code SELECT f1, f2 | COUNT() FROM T [WHERE f op literal [AND ...]] [ORDER BY f [ASC|DESC] [NULLS FIRST|LAST], ...]
 * [LIMIT n] [OFFSET n]}, where op is one of {@code = != <> < <= > >=} or {@code [NOT] IN (literal, ...)}.
 * Errors carry Salesforce's error codes and its caret-style messages.
 */
public final class SoqlQuery {

    /** Filter operators. */
    public enum Op { EQ, NE, LT, LE, GT, GE, IN, NOT_IN }

    /** {@code field op value(s)}; values are String, BigDecimal, Boolean, LocalDate, Instant or null. */
    public record Condition(SObjectField field, Op op, List<Object> values) {
    }

    /** One ORDER BY item. */
    public record Order(SObjectField field, boolean descending, boolean nullsFirst) {
    }

    private static final int MAX_OFFSET = 2000;
    private static final Set<String> KEYWORDS = Set.of("select", "from", "where", "and", "or", "not", "in",
            "order", "by", "asc", "desc", "nulls", "first", "last", "limit", "offset", "like", "group", "having");
    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final Pattern DATETIME =
            Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:?\\d{2})");
    private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)");

    private final SObjectSchema type;
    private final List<SObjectField> fields;
    private final boolean count;
    private final List<Condition> conditions;
    private final List<Order> orderBy;
    private final Integer limit;
    private final int offset;

    private SoqlQuery(SObjectSchema type, List<SObjectField> fields, boolean count, List<Condition> conditions,
            List<Order> orderBy, Integer limit, int offset) {
        this.type = type;
        this.fields = List.copyOf(fields);
        this.count = count;
        this.conditions = List.copyOf(conditions);
        this.orderBy = List.copyOf(orderBy);
        this.limit = limit;
        this.offset = offset;
    }

    /** Parses and validates; throws {@link SalesforceApiException} with MALFORMED_QUERY, INVALID_TYPE or INVALID_FIELD. */
    public static SoqlQuery parse(String soql) {
        if (soql == null || soql.isBlank()) {
            throw SalesforceApiException.badRequest("MALFORMED_QUERY", "A query string has to be specified");
        }
        return new Parser(soql).parse();
    }

    public SObjectSchema type() {
        return type;
    }

    /** Selected fields in SELECT order; empty for COUNT(). */
    public List<SObjectField> fields() {
        return fields;
    }

    public boolean isCount() {
        return count;
    }

    public List<Condition> conditions() {
        return conditions;
    }

    public List<Order> orderBy() {
        return orderBy;
    }

    /** Filters, sorts, then applies OFFSET and LIMIT; records come in creation order when unsorted. */
    public List<SandboxRecord> select(Iterable<SandboxRecord> records, boolean includeDeleted) {
        List<SandboxRecord> out = new ArrayList<>();
        for (SandboxRecord r : records) {
            if ((includeDeleted || !r.isDeleted()) && matches(r)) {
                out.add(r);
            }
        }
        if (!orderBy.isEmpty()) {
            out.sort(comparator());
        }
        int from = Math.min(offset, out.size());
        int to = limit == null ? out.size() : (int) Math.min(out.size(), (long) from + limit);
        return from == 0 && to == out.size() ? out : new ArrayList<>(out.subList(from, to));
    }

    public boolean matches(SandboxRecord record) {
        for (Condition c : conditions) {
            if (!matches(c, record.get(c.field()))) {
                return false;
            }
        }
        return true;
    }

    private static boolean matches(Condition c, Object value) {
        SObjectFieldType t = c.field().type();
        Object literal = c.values().get(0);
        return switch (c.op()) {
            case EQ -> same(t, value, literal);
            case NE -> !same(t, value, literal);
            case IN -> c.values().stream().anyMatch(v -> same(t, value, v));
            case NOT_IN -> c.values().stream().noneMatch(v -> same(t, value, v));
            case LT -> value != null && literal != null && compare(t, value, literal) < 0;
            case LE -> value != null && literal != null && compare(t, value, literal) <= 0;
            case GT -> value != null && literal != null && compare(t, value, literal) > 0;
            case GE -> value != null && literal != null && compare(t, value, literal) >= 0;
        };
    }

    private static boolean same(SObjectFieldType t, Object value, Object literal) {
        if (value == null || literal == null) {
            return value == literal;
        }
        return compare(t, value, literal) == 0;
    }

    /** Text compares case-insensitively, as SOQL does. */
    private static int compare(SObjectFieldType t, Object a, Object b) {
        if (t.isText()) {
            return ((String) a).compareToIgnoreCase((String) b);
        }
        if (t.isNumber()) {
            return Double.compare(((Number) a).doubleValue(), ((Number) b).doubleValue());
        }
        return switch (t) {
            case BOOLEAN -> Boolean.compare((Boolean) a, (Boolean) b);
            case DATE -> ((LocalDate) a).compareTo((LocalDate) b);
            case DATETIME -> ((Instant) a).compareTo((Instant) b);
            default -> throw new IllegalStateException("not comparable: " + t);
        };
    }

    private Comparator<SandboxRecord> comparator() {
        Comparator<SandboxRecord> result = null;
        for (Order o : orderBy) {
            SObjectFieldType t = o.field().type();
            Comparator<SandboxRecord> next = (x, y) -> {
                Object a = x.get(o.field());
                Object b = y.get(o.field());
                if (a == null || b == null) {
                    return a == b ? 0 : (a == null) == o.nullsFirst() ? -1 : 1;
                }
                int r = compare(t, a, b);
                return o.descending() ? -r : r;
            };
            result = result == null ? next : result.thenComparing(next);
        }
        return result;
    }

    private enum Kind { WORD, STRING, OP, COMMA, LPAREN, RPAREN, EOF }

    private record Token(Kind kind, String text, int pos) {
        boolean is(String keyword) {
            return kind == Kind.WORD && text.equalsIgnoreCase(keyword);
        }
    }

    /** Recursive-descent parser over the token list; resolves names once the FROM type is known. */
    private static final class Parser {
        private final String soql;
        private final List<Token> tokens;
        private int at;

        Parser(String soql) {
            this.soql = soql;
            this.tokens = new Lexer(soql, this).tokens();
        }

        SoqlQuery parse() {
            expectKeyword("select");
            boolean count = false;
            List<Token> fieldTokens = new ArrayList<>();
            if (peek().is("count") && tokens.get(at + 1).kind() == Kind.LPAREN) {
                next();
                next();
                expect(Kind.RPAREN);
                count = true;
            } else {
                do {
                    fieldTokens.add(name());
                } while (accept(Kind.COMMA));
            }
            expectKeyword("from");
            Token typeToken = name();
            SObjectSchema type = SObjectSchema.find(typeToken.text()).orElseThrow(() -> error("INVALID_TYPE",
                    typeToken.pos(), "sObject type '" + typeToken.text() + "' is not supported. If you are attempting"
                            + " to use a custom object, be sure to append the '__c' after the entity name. Please"
                            + " reference your WSDL or the describe call for the appropriate names."));
            List<SObjectField> fields = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            for (Token t : fieldTokens) {
                SObjectField f = field(type, t);
                if (!seen.add(f.name())) {
                    throw error("MALFORMED_QUERY", t.pos(), "duplicate field selected: " + f.name());
                }
                fields.add(f);
            }
            List<Condition> conditions = new ArrayList<>();
            if (acceptKeyword("where")) {
                do {
                    conditions.add(condition(type));
                } while (acceptKeyword("and"));
            }
            List<Order> orderBy = new ArrayList<>();
            if (acceptKeyword("order")) {
                expectKeyword("by");
                do {
                    orderBy.add(order(type));
                } while (accept(Kind.COMMA));
            }
            Integer limit = acceptKeyword("limit") ? nonNegativeInt() : null;
            int offset = 0;
            if (acceptKeyword("offset")) {
                Token t = peek();
                offset = nonNegativeInt();
                if (offset > MAX_OFFSET) {
                    throw error("NUMBER_OUTSIDE_VALID_RANGE", t.pos(), "Maximum SOQL offset allowed is " + MAX_OFFSET);
                }
            }
            Token end = peek();
            if (end.kind() != Kind.EOF) {
                throw unexpected(end);
            }
            return new SoqlQuery(type, fields, count, conditions, orderBy, limit, offset);
        }

        private Condition condition(SObjectSchema type) {
            Token fieldToken = name();
            SObjectField field = field(type, fieldToken);
            if (!field.filterable()) {
                throw error("INVALID_FIELD", fieldToken.pos(),
                        "field '" + field.name() + "' can not be filtered in a query call");
            }
            Token opToken = next();
            Op op;
            if (opToken.kind() == Kind.OP) {
                op = switch (opToken.text()) {
                    case "=" -> Op.EQ;
                    case "!=", "<>" -> Op.NE;
                    case "<" -> Op.LT;
                    case "<=" -> Op.LE;
                    case ">" -> Op.GT;
                    case ">=" -> Op.GE;
                    default -> throw unexpected(opToken);
                };
            } else if (opToken.is("in")) {
                op = Op.IN;
            } else if (opToken.is("not") && peek().is("in")) {
                next();
                op = Op.NOT_IN;
            } else {
                throw unexpected(opToken);
            }
            List<Object> values = new ArrayList<>();
            if (op == Op.IN || op == Op.NOT_IN) {
                expect(Kind.LPAREN);
                do {
                    values.add(literal(field));
                } while (accept(Kind.COMMA));
                expect(Kind.RPAREN);
            } else {
                values.add(literal(field));
            }
            return new Condition(field, op, values);
        }

        private Order order(SObjectSchema type) {
            Token fieldToken = name();
            SObjectField field = field(type, fieldToken);
            if (!field.sortable()) {
                throw error("INVALID_FIELD", fieldToken.pos(),
                        "field '" + field.name() + "' can not be sorted in a query call");
            }
            boolean descending = false;
            if (acceptKeyword("desc")) {
                descending = true;
            } else {
                acceptKeyword("asc");
            }
            boolean nullsFirst = !descending;
            if (acceptKeyword("nulls")) {
                if (acceptKeyword("first")) {
                    nullsFirst = true;
                } else {
                    expectKeyword("last");
                    nullsFirst = false;
                }
            }
            return new Order(field, descending, nullsFirst);
        }

        /** Reads one literal and checks it fits the field's type, as Salesforce does before running a query. */
        private Object literal(SObjectField field) {
            Token t = next();
            Object value;
            boolean quoted = t.kind() == Kind.STRING;
            if (quoted) {
                value = t.text();
            } else if (t.kind() != Kind.WORD) {
                throw unexpected(t);
            } else if (t.is("null")) {
                return null;
            } else if (t.is("true") || t.is("false")) {
                value = Boolean.valueOf(t.text().toLowerCase(Locale.ROOT));
            } else if (DATETIME.matcher(t.text()).matches()) {
                value = dateTime(t);
            } else if (DATE.matcher(t.text()).matches()) {
                value = date(t);
            } else if (NUMBER.matcher(t.text()).matches()) {
                value = new BigDecimal(t.text());
            } else {
                throw unexpected(t);
            }
            SObjectFieldType type = field.type();
            boolean fits = type.isText() ? value instanceof String
                    : type.isNumber() ? value instanceof BigDecimal
                    : switch (type) {
                        case BOOLEAN -> value instanceof Boolean;
                        case DATE -> value instanceof LocalDate;
                        case DATETIME -> value instanceof Instant;
                        default -> false;
                    };
            if (!fits) {
                throw error("INVALID_FIELD", t.pos(), "value of filter criterion for field '" + field.name()
                        + "' must be of type " + type.soqlTypeName() + " and should "
                        + (type.isText() ? "" : "not ") + "be enclosed in quotes");
            }
            if (type.isIdLike()) {
                String id = SalesforceIds.normalize((String) value);
                if (id == null) {
                    throw error("INVALID_QUERY_FILTER_OPERATOR", t.pos(), "invalid ID field: " + value);
                }
                return id;
            }
            return value;
        }

        private Instant dateTime(Token t) {
            String text = t.text();
            if (!text.endsWith("Z") && text.charAt(text.length() - 3) != ':') {
                text = text.substring(0, text.length() - 2) + ":" + text.substring(text.length() - 2);
            }
            try {
                return OffsetDateTime.parse(text).toInstant();
            } catch (DateTimeParseException e) {
                throw error("MALFORMED_QUERY", t.pos(), "invalid date time value: " + t.text());
            }
        }

        private LocalDate date(Token t) {
            try {
                return LocalDate.parse(t.text());
            } catch (DateTimeParseException e) {
                throw error("MALFORMED_QUERY", t.pos(), "invalid date value: " + t.text());
            }
        }

        private SObjectField field(SObjectSchema type, Token t) {
            return type.field(t.text()).orElseThrow(() -> error("INVALID_FIELD", t.pos(), "No such column '"
                    + t.text() + "' on entity '" + type.name() + "'. If you are attempting to use a custom field,"
                    + " be sure to append the '__c' after the custom field name. Please reference your WSDL or the"
                    + " describe call for the appropriate names."));
        }

        private Token name() {
            Token t = next();
            if (t.kind() != Kind.WORD || KEYWORDS.contains(t.text().toLowerCase(Locale.ROOT))) {
                throw unexpected(t);
            }
            return t;
        }

        private int nonNegativeInt() {
            Token t = next();
            try {
                int n = Integer.parseInt(t.text());
                if (t.kind() == Kind.WORD && n >= 0) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw unexpected(t);
        }

        private Token peek() {
            return tokens.get(at);
        }

        private Token next() {
            Token t = tokens.get(at);
            if (t.kind() != Kind.EOF) {
                at++;
            }
            return t;
        }

        private boolean accept(Kind kind) {
            if (peek().kind() == kind) {
                at++;
                return true;
            }
            return false;
        }

        private boolean acceptKeyword(String keyword) {
            if (peek().is(keyword)) {
                at++;
                return true;
            }
            return false;
        }

        private void expect(Kind kind) {
            if (!accept(kind)) {
                throw unexpected(peek());
            }
        }

        private void expectKeyword(String keyword) {
            if (!acceptKeyword(keyword)) {
                throw unexpected(peek());
            }
        }

        private SalesforceApiException unexpected(Token t) {
            String shown = t.kind() == Kind.EOF ? "<EOF>" : t.kind() == Kind.STRING ? "'" + t.text() + "'" : t.text();
            String hint = t.is("or") || t.is("like") || t.is("group") || t.is("having")
                    ? " (the sandbox supports only AND-ed comparisons and IN)" : "";
            return error("MALFORMED_QUERY", t.pos(), "unexpected token: '" + shown + "'" + hint);
        }

        /** Salesforce's layout: the query line, a caret under the column, the position, then the reason. */
        SalesforceApiException error(String code, int pos, String detail) {
            int lineStart = soql.lastIndexOf('\n', pos - 1) + 1;
            int lineEnd = soql.indexOf('\n', pos);
            String line = soql.substring(lineStart, lineEnd < 0 ? soql.length() : lineEnd);
            int row = 1 + (int) soql.substring(0, Math.min(pos, soql.length())).chars().filter(c -> c == '\n').count();
            int column = pos - lineStart + 1;
            return SalesforceApiException.badRequest(code, "\n" + line + "\n" + " ".repeat(column - 1)
                    + "^\nERROR at Row:" + row + ":Column:" + column + "\n" + detail);
        }
    }

    /** Splits SOQL into words, quoted strings, operators and punctuation. */
    private static final class Lexer {
        private static final String DELIMITERS = ",()'=<>!";
        private final String soql;
        private final Parser parser;

        Lexer(String soql, Parser parser) {
            this.soql = soql;
            this.parser = parser;
        }

        List<Token> tokens() {
            List<Token> out = new ArrayList<>();
            int i = 0;
            int n = soql.length();
            while (i < n) {
                char c = soql.charAt(i);
                if (Character.isWhitespace(c)) {
                    i++;
                } else if (c == ',') {
                    out.add(new Token(Kind.COMMA, ",", i++));
                } else if (c == '(') {
                    out.add(new Token(Kind.LPAREN, "(", i++));
                } else if (c == ')') {
                    out.add(new Token(Kind.RPAREN, ")", i++));
                } else if (c == '\'') {
                    i = string(out, i);
                } else if (c == '=' || c == '<' || c == '>' || c == '!') {
                    String two = i + 1 < n ? soql.substring(i, i + 2) : "";
                    if (two.equals("<=") || two.equals(">=") || two.equals("!=") || two.equals("<>")) {
                        out.add(new Token(Kind.OP, two, i));
                        i += 2;
                    } else if (c == '!') {
                        throw parser.error("MALFORMED_QUERY", i, "unexpected token: '!'");
                    } else {
                        out.add(new Token(Kind.OP, String.valueOf(c), i++));
                    }
                } else {
                    int start = i;
                    while (i < n && !Character.isWhitespace(soql.charAt(i)) && DELIMITERS.indexOf(soql.charAt(i)) < 0) {
                        i++;
                    }
                    out.add(new Token(Kind.WORD, soql.substring(start, i), start));
                }
            }
            out.add(new Token(Kind.EOF, "", n));
            return out;
        }

        /** Reads a quoted string with SOQL escapes; returns the index after the closing quote. */
        private int string(List<Token> out, int start) {
            StringBuilder text = new StringBuilder();
            int i = start + 1;
            while (i < soql.length()) {
                char c = soql.charAt(i);
                if (c == '\'') {
                    out.add(new Token(Kind.STRING, text.toString(), start));
                    return i + 1;
                }
                if (c == '\\') {
                    if (i + 1 >= soql.length()) {
                        break;
                    }
                    char e = soql.charAt(i + 1);
                    switch (e) {
                        case '\'', '"', '\\' -> text.append(e);
                        case 'n' -> text.append('\n');
                        case 'r' -> text.append('\r');
                        case 't' -> text.append('\t');
                        case 'b' -> text.append('\b');
                        case 'f' -> text.append('\f');
                        case '_', '%' -> text.append('\\').append(e);
                        default -> throw parser.error("MALFORMED_QUERY", i, "Invalid string literal '"
                                + soql.substring(start, Math.min(soql.length(), i + 2))
                                + "'. Illegal character sequence '\\" + e + "' in string literal.");
                    }
                    i += 2;
                } else {
                    text.append(c);
                    i++;
                }
            }
            throw parser.error("MALFORMED_QUERY", start, "unterminated string literal");
        }
    }
}
