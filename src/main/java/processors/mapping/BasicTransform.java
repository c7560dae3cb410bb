package processors.mapping;

import java.math.BigDecimal;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The transforms that take no argument. Each writes back as-is: the reverse is the identity. */
enum BasicTransform implements Transform {

    TRIM("trim") {
        @Override
        public Object apply(Object value) {
            return value instanceof String s ? s.strip() : value;
        }
    },

    LOWERCASE("lowercase") {
        @Override
        public Object apply(Object value) {
            // ROOT locale: a Turkish default locale must not turn "I" into a dotless i
            return value instanceof String s ? s.toLowerCase(Locale.ROOT) : value;
        }
    },

    UPPERCASE("uppercase") {
        @Override
        public Object apply(Object value) {
            return value instanceof String s ? s.toUpperCase(Locale.ROOT) : value;
        }
    },

    NUMBER("number") {
        @Override
        public Object apply(Object value) {
            if (value == null || value instanceof Number) {
                return value;
            }
            if (value instanceof String s) {
                String text = s.strip();
                if (text.isEmpty()) {
                    return null;
                }
                try {
                    return narrow(new BigDecimal(text));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("number: not a number: " + Transforms.quote(s));
                }
            }
            throw new IllegalArgumentException("number: not a number: " + Transforms.describe(value));
        }
    },

    INTEGER("integer") {
        @Override
        public Object apply(Object value) {
            if (value == null || value instanceof Integer || value instanceof Long) {
                return value;
            }
            BigDecimal decimal;
            if (value instanceof String s) {
                String text = s.strip();
                if (text.isEmpty()) {
                    return null;
                }
                try {
                    decimal = new BigDecimal(text);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("integer: not a number: " + Transforms.quote(s));
                }
            } else if (value instanceof Number n) {
                if (n instanceof Double d && (d.isNaN() || d.isInfinite())) {
                    throw new IllegalArgumentException("integer: not a whole number: " + d);
                }
                decimal = n instanceof BigDecimal b ? b : new BigDecimal(n.toString());
            } else {
                throw new IllegalArgumentException("integer: not a number: " + Transforms.describe(value));
            }
            try {
                return narrow(BigDecimal.valueOf(decimal.toBigIntegerExact().longValueExact()));
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException("integer: not a whole number in range: " + Transforms.quote(String.valueOf(value)));
            }
        }
    },

    BOOLEAN("boolean") {
        @Override
        public Object apply(Object value) {
            if (value == null || value instanceof Boolean) {
                return value;
            }
            if (value instanceof String s) {
                switch (s.strip().toLowerCase(Locale.ROOT)) {
                    case "":
                        return null;
                    case "true", "yes", "y", "on", "1":
                        return Boolean.TRUE;
                    case "false", "no", "n", "off", "0":
                        return Boolean.FALSE;
                    default:
                        throw new IllegalArgumentException("boolean: not a boolean: " + Transforms.quote(s));
                }
            }
            if (value instanceof Number n && (n.doubleValue() == 0 || n.doubleValue() == 1)) {
                return n.doubleValue() == 1;
            }
            throw new IllegalArgumentException("boolean: not a boolean: " + Transforms.describe(value));
        }
    },

    STRING("string") {
        @Override
        public Object apply(Object value) {
            if (value == null || value instanceof String) {
                return value;
            }
            if (value instanceof Map || value instanceof Collection) {
                throw new IllegalArgumentException("string: cannot turn " + Transforms.describe(value) + " into text");
            }
            return Transforms.text(value);
        }
    };

    private final String id;

    BasicTransform(String id) {
        this.id = id;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public Optional<Transform> reverse() {
        return Optional.of(Transforms.IDENTITY);
    }

    /** Integral values become Integer or Long, as Jackson would read them from JSON; others stay exact. */
    private static Number narrow(BigDecimal decimal) {
        if (decimal.scale() <= 0 || decimal.stripTrailingZeros().scale() <= 0) {
            try {
                long whole = decimal.longValueExact();
                if (whole == (int) whole) {
                    return (int) whole;
                }
                return whole;
            } catch (ArithmeticException tooLarge) {
                return decimal;
            }
        }
        return decimal;
    }
}
