package processors.mapping;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A safe text template: literal text and {@code {{path | transform | transform: arg}}} placeholders.
 * Only path lookups and registered transforms run; nothing else is evaluated (no SpEL, Simple, scripting or reflection),
 * so {@code ${...}} and {@code #{...}} are literal text. Parsed once, at load.
 */
public final class Template {

    private static final Pattern TRANSFORM_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9]*");

    private final String text;
    private final Object[] parts;
    private final int sizeHint;

    private Template(String text, Object[] parts) {
        this.text = text;
        this.parts = parts;
        this.sizeHint = text.length() + 16;
    }

    /**
     * Parses a template.
     *
     * @throws IllegalArgumentException saying what is wrong and at which character offset
     */
    public static Template parse(String text) {
        List<Object> parts = new ArrayList<>();
        int at = 0;
        while (at < text.length()) {
            int open = text.indexOf("{{", at);
            int strayClose = text.indexOf("}}", at);
            if (strayClose >= 0 && (open < 0 || strayClose < open)) {
                throw new IllegalArgumentException("'}}' without a matching '{{' at offset " + strayClose);
            }
            if (open < 0) {
                parts.add(text.substring(at));
                break;
            }
            if (open > at) {
                parts.add(text.substring(at, open));
            }
            int close = closingBraces(text, open + 2);
            if (close < 0) {
                throw new IllegalArgumentException("'{{' at offset " + open + " is never closed with '}}'");
            }
            parts.add(placeholder(text.substring(open + 2, close), open));
            at = close + 2;
        }
        return new Template(text, parts.toArray());
    }

    /** Renders the template against a provider record; missing or null paths render as empty text. */
    public String render(Map<String, ?> record) {
        StringBuilder out = new StringBuilder(sizeHint);
        for (Object part : parts) {
            if (part instanceof Placeholder placeholder) {
                Object value = placeholder.path.get(record);
                if (value == FieldPath.MISSING) {
                    value = null;
                }
                for (Transform transform : placeholder.transforms) {
                    value = transform.apply(value);
                }
                if (value != null) {
                    out.append(Transforms.text(value));
                }
            } else {
                out.append((String) part);
            }
        }
        return out.toString();
    }

    /** The provider paths the template reads. */
    public List<String> paths() {
        List<String> paths = new ArrayList<>();
        for (Object part : parts) {
            if (part instanceof Placeholder placeholder) {
                paths.add(placeholder.path.toString());
            }
        }
        return paths;
    }

    @Override
    public String toString() {
        return text;
    }

    private static Placeholder placeholder(String body, int offset) {
        List<String> segments = splitOutsideQuotes(body, offset);
        String path = segments.get(0).strip();
        if (path.isEmpty()) {
            throw new IllegalArgumentException("empty placeholder at offset " + offset);
        }
        FieldPath sourcePath;
        try {
            sourcePath = FieldPath.source(path);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + " in placeholder at offset " + offset);
        }
        Transform[] transforms = new Transform[segments.size() - 1];
        for (int i = 1; i < segments.size(); i++) {
            transforms[i - 1] = transform(segments.get(i).strip(), offset);
        }
        return new Placeholder(sourcePath, transforms);
    }

    private static Transform transform(String segment, int offset) {
        int colon = segment.indexOf(':');
        String name = (colon < 0 ? segment : segment.substring(0, colon)).strip();
        String argText = colon < 0 ? "" : segment.substring(colon + 1).strip();
        if (!TRANSFORM_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("expected a transform name after '|', got " + Transforms.quote(segment) + " in placeholder at offset " + offset);
        }
        try {
            return Transforms.create(name, argText.isEmpty() ? null : YamlSpecNode.readValue(argText));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + " in placeholder at offset " + offset);
        }
    }

    /** Index of the {@code }}} that closes a placeholder, skipping quoted text and {@code {...}} / {@code [...]} arguments. */
    private static int closingBraces(String text, int from) {
        int depth = 0;
        char quote = 0;
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '{' || c == '[') {
                depth++;
            } else if (c == ']' || (c == '}' && depth > 0)) {
                depth--;
            } else if (c == '}' && i + 1 < text.length() && text.charAt(i + 1) == '}') {
                return i;
            }
        }
        return -1;
    }

    private static List<String> splitOutsideQuotes(String body, int offset) {
        List<String> segments = new ArrayList<>();
        int depth = 0;
        char quote = 0;
        int start = 0;
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '{' || c == '[') {
                depth++;
            } else if (c == '}' || c == ']') {
                depth--;
            } else if (c == '|' && depth == 0) {
                segments.add(body.substring(start, i));
                start = i + 1;
            }
        }
        if (quote != 0) {
            throw new IllegalArgumentException("unterminated quote in placeholder at offset " + offset);
        }
        segments.add(body.substring(start));
        return segments;
    }

    private record Placeholder(FieldPath path, Transform[] transforms) {
    }
}
