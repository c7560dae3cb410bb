package processors.mapping;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/** The registry of transforms by name, and how each one's argument is read. */
public final class Transforms {

    /** The reverse of transforms whose output is written back unchanged. */
    public static final Transform IDENTITY = new Transform() {
        @Override
        public String id() {
            return "identity";
        }

        @Override
        public Object apply(Object value) {
            return value;
        }

        @Override
        public Optional<Transform> reverse() {
            return Optional.of(this);
        }
    };

    private static final Map<String, Function<Object, Transform>> REGISTRY = new LinkedHashMap<>();

    static {
        for (BasicTransform basic : BasicTransform.values()) {
            REGISTRY.put(basic.id(), arg -> {
                if (arg != null) {
                    throw new IllegalArgumentException(basic.id() + " takes no argument");
                }
                return basic;
            });
        }
        REGISTRY.put("domain", arg -> {
            if (arg != null) {
                throw new IllegalArgumentException("domain takes no argument");
            }
            return DomainTransform.INSTANCE;
        });
        REGISTRY.put("dateFormat", Transforms::dateFormat);
        REGISTRY.put("truncate", Transforms::truncate);
        REGISTRY.put("replace", Transforms::replace);
        REGISTRY.put("stripPrefix", Transforms::stripPrefix);
        REGISTRY.put("default", Transforms::defaultValue);
    }

    private Transforms() {
    }

    /** Registered names, in documentation order. */
    public static Set<String> names() {
        return Collections.unmodifiableSet(REGISTRY.keySet());
    }

    public static boolean isKnown(String name) {
        return REGISTRY.containsKey(name);
    }

    /** The message for a name that is not registered, listing the ones that are. */
    public static String unknownMessage(String name) {
        return "unknown transform '" + name + "' (known: " + String.join(", ", REGISTRY.keySet()) + ")";
    }

    /**
     * Builds a transform from its name and argument (null when none was written).
     *
     * @throws IllegalArgumentException naming the transform when the name is unknown or the argument has the wrong shape
     */
    public static Transform create(String name, Object arg) {
        Function<Object, Transform> factory = REGISTRY.get(name);
        if (factory == null) {
            throw new IllegalArgumentException(unknownMessage(name));
        }
        return factory.apply(arg);
    }

    /** Null, or text that is empty or whitespace. */
    public static boolean isBlank(Object value) {
        return value == null || (value instanceof String s && s.isBlank());
    }

    /** A value as text: decimals without exponent, so 2.5E7 reads 25000000. */
    static String text(Object value) {
        if (value instanceof BigDecimal decimal) {
            return decimal.toPlainString();
        }
        if ((value instanceof Double d && !d.isNaN() && !d.isInfinite()) || (value instanceof Float f && !f.isNaN() && !f.isInfinite())) {
            return new BigDecimal(value.toString()).stripTrailingZeros().toPlainString();
        }
        return String.valueOf(value);
    }

    /** A short quoted excerpt of a value for error messages: enough to find it, never a whole payload. */
    static String quote(String value) {
        return value.length() <= 40 ? "'" + value + "'" : "'" + value.substring(0, 40) + "...'";
    }

    static String describe(Object value) {
        if (value instanceof Map) {
            return "an object";
        }
        if (value instanceof Collection) {
            return "a list";
        }
        if (value instanceof Boolean b) {
            return b.toString();
        }
        return quote(text(value));
    }

    private static Transform dateFormat(Object arg) {
        if (arg == null) {
            return new DateFormatTransform(null, null, null);
        }
        Map<String, Object> options = options("dateFormat", arg, Set.of("from", "to", "zone"), "{from: <format>, to: <format>, zone: <zone id>}");
        return new DateFormatTransform(optionText("dateFormat", options, "from"), optionText("dateFormat", options, "to"),
                optionText("dateFormat", options, "zone"));
    }

    private static Transform truncate(Object arg) {
        if (!(arg instanceof Integer || arg instanceof Long)) {
            throw new IllegalArgumentException("truncate expects a whole number: truncate: <max length>");
        }
        long max = ((Number) arg).longValue();
        if (max < 0 || max > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("truncate: length must be between 0 and " + Integer.MAX_VALUE + ", got " + max);
        }
        return new TruncateTransform((int) max);
    }

    private static Transform replace(Object arg) {
        Map<String, Object> options = options("replace", arg, Set.of("from", "to"), "{from: \"x\", to: \"y\"}");
        if (!options.containsKey("from") || !options.containsKey("to")) {
            throw new IllegalArgumentException("replace expects both keys: replace: {from: \"x\", to: \"y\"}");
        }
        String to = optionText("replace", options, "to");
        return new ReplaceTransform(optionText("replace", options, "from"), to == null ? "" : to);
    }

    private static Transform stripPrefix(Object arg) {
        List<String> prefixes = new ArrayList<>();
        if (arg instanceof String single) {
            prefixes.add(single);
        } else if (arg instanceof List<?> list) {
            for (Object item : list) {
                if (!(item instanceof String prefix)) {
                    throw new IllegalArgumentException("stripPrefix expects text items, got " + describe(item));
                }
                prefixes.add(prefix);
            }
        } else {
            throw new IllegalArgumentException("stripPrefix expects text or a list: stripPrefix: [\"https://\", \"www.\"]");
        }
        return new StripPrefixTransform(prefixes);
    }

    private static Transform defaultValue(Object arg) {
        if (arg == null || arg instanceof Map || arg instanceof Collection) {
            throw new IllegalArgumentException("default expects a single value: default: <text, number or boolean>");
        }
        return new DefaultTransform(arg);
    }

    private static Map<String, Object> options(String transform, Object arg, Set<String> allowed, String shape) {
        if (!(arg instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException(transform + " expects " + shape);
        }
        Map<String, Object> options = new LinkedHashMap<>();
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            String key = String.valueOf(entry.getKey());
            if (!allowed.contains(key)) {
                throw new IllegalArgumentException(transform + ": unknown option '" + key + "' (allowed: " + String.join(", ", allowed.stream().sorted().toList()) + ")");
            }
            options.put(key, entry.getValue());
        }
        return options;
    }

    private static String optionText(String transform, Map<String, Object> options, String key) {
        Object value = options.get(key);
        if (value != null && !(value instanceof String)) {
            throw new IllegalArgumentException(transform + ": '" + key + "' must be text, got " + describe(value));
        }
        return (String) value;
    }
}
