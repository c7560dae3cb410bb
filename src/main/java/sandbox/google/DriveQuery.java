package sandbox.google;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * The part of Drive's search language ({@code q}) the sandbox understands: {@code 'id' in parents},
 * {@code trashed = true|false}, {@code mimeType = | != 'x'}, {@code name = | contains 'x'}, {@code fullText contains 'x'},
 * {@code modifiedTime > | >= | < | <= | = 'RFC 3339'}, joined with {@code and}, {@code or}, {@code not} and parentheses.
 * Anything else is a 400 {@code invalid} on {@code q}, as Drive answers "Invalid Value".
 */
final class DriveQuery {

    private final List<String> tokens;
    private int at;

    private DriveQuery(List<String> tokens) {
        this.tokens = tokens;
    }

    /** The files the query selects; a blank query selects every file. */
    static Predicate<DriveFile> parse(String q) {
        if (q == null || q.isBlank()) {
            return f -> true;
        }
        DriveQuery query = new DriveQuery(tokenize(q));
        Predicate<DriveFile> result = query.or();
        if (query.at != query.tokens.size()) {
            throw invalid();
        }
        return result;
    }

    private Predicate<DriveFile> or() {
        Predicate<DriveFile> left = and();
        while (peekWord("or")) {
            at++;
            left = left.or(and());
        }
        return left;
    }

    private Predicate<DriveFile> and() {
        Predicate<DriveFile> left = unary();
        while (peekWord("and")) {
            at++;
            left = left.and(unary());
        }
        return left;
    }

    private Predicate<DriveFile> unary() {
        if (peekWord("not")) {
            at++;
            return unary().negate();
        }
        if ("(".equals(peek())) {
            at++;
            Predicate<DriveFile> inner = or();
            expect(")");
            return inner;
        }
        return clause();
    }

    private Predicate<DriveFile> clause() {
        String first = next();
        if (isQuoted(first)) {
            String value = unquote(first);
            if (!peekWord("in")) {
                throw invalid();
            }
            at++;
            String field = next();
            if (!"parents".equals(field)) {
                throw invalid();
            }
            return f -> value.equals(f.parent);
        }
        String operator = next();
        String operand = next();
        switch (first) {
            case "trashed" -> {
                if (!operator.equals("=") && !operator.equals("!=")) {
                    throw invalid();
                }
                boolean wanted = switch (operand) {
                    case "true" -> true;
                    case "false" -> false;
                    default -> throw invalid();
                };
                return operator.equals("=") ? f -> f.trashed == wanted : f -> f.trashed != wanted;
            }
            case "mimeType", "name" -> {
                String value = quoted(operand);
                String field = first;
                return switch (operator) {
                    case "=" -> f -> value.equals(text(f, field));
                    case "!=" -> f -> !value.equals(text(f, field));
                    case "contains" -> f -> text(f, field).toLowerCase(Locale.ROOT).contains(value.toLowerCase(Locale.ROOT));
                    default -> throw invalid();
                };
            }
            case "fullText" -> {
                if (!operator.equals("contains")) {
                    throw invalid();
                }
                String value = quoted(operand).toLowerCase(Locale.ROOT);
                return f -> f.name.toLowerCase(Locale.ROOT).contains(value)
                        || f.text != null && f.text.toLowerCase(Locale.ROOT).contains(value);
            }
            case "modifiedTime", "createdTime" -> {
                Instant value = instant(quoted(operand));
                boolean modified = first.equals("modifiedTime");
                return switch (operator) {
                    case ">" -> f -> time(f, modified).isAfter(value);
                    case ">=" -> f -> !time(f, modified).isBefore(value);
                    case "<" -> f -> time(f, modified).isBefore(value);
                    case "<=" -> f -> !time(f, modified).isAfter(value);
                    case "=" -> f -> time(f, modified).equals(value);
                    default -> throw invalid();
                };
            }
            default -> throw invalid();
        }
    }

    private static String text(DriveFile f, String field) {
        return field.equals("name") ? f.name : f.mimeType;
    }

    private static Instant time(DriveFile f, boolean modified) {
        return modified ? f.modifiedTime : f.createdTime;
    }

    private static Instant instant(String text) {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException again) {
                throw invalid();
            }
        }
    }

    private String quoted(String token) {
        if (!isQuoted(token)) {
            throw invalid();
        }
        return unquote(token);
    }

    private static boolean isQuoted(String token) {
        return token.length() >= 2 && token.startsWith("'") && token.endsWith("'");
    }

    private static String unquote(String token) {
        return token.substring(1, token.length() - 1).replace("\\'", "'").replace("\\\\", "\\");
    }

    private boolean peekWord(String word) {
        String token = peek();
        return token != null && token.equalsIgnoreCase(word);
    }

    private String peek() {
        return at < tokens.size() ? tokens.get(at) : null;
    }

    private String next() {
        if (at >= tokens.size()) {
            throw invalid();
        }
        return tokens.get(at++);
    }

    private void expect(String token) {
        if (!token.equals(next())) {
            throw invalid();
        }
    }

    private static List<String> tokenize(String q) {
        List<String> tokens = new ArrayList<>();
        int i = 0;
        while (i < q.length()) {
            char c = q.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '\'') {
                int j = i + 1;
                while (j < q.length() && q.charAt(j) != '\'') {
                    j += q.charAt(j) == '\\' ? 2 : 1;
                }
                if (j >= q.length()) {
                    throw invalid();
                }
                tokens.add(q.substring(i, j + 1));
                i = j + 1;
            } else if (c == '(' || c == ')') {
                tokens.add(String.valueOf(c));
                i++;
            } else if (c == '=' || c == '!' || c == '<' || c == '>') {
                int j = i + 1;
                if (j < q.length() && q.charAt(j) == '=') {
                    j++;
                }
                tokens.add(q.substring(i, j));
                i = j;
            } else {
                int j = i;
                while (j < q.length() && !Character.isWhitespace(q.charAt(j)) && "()'=!<>".indexOf(q.charAt(j)) < 0) {
                    j++;
                }
                tokens.add(q.substring(i, j));
                i = j;
            }
        }
        return tokens;
    }

    private static DriveApiException invalid() {
        return DriveApiException.invalid("q", "Invalid Value");
    }
}
