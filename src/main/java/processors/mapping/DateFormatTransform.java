package processors.mapping;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.TemporalAccessor;
import java.util.Date;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code dateFormat: {from: ..., to: ..., zone: ...}}: reads a date or datetime in one format and writes it in another.
 * Formats are {@code iso} (ISO-8601 instant; reads Salesforce's {@code +0000} offsets too), {@code epochMillis},
 * {@code date} ({@code yyyy-MM-dd}) or a java.time pattern. The zone (default UTC) applies to values without an offset
 * and to the output of {@code date} and patterns. Reversed by swapping from and to.
 */
public final class DateFormatTransform implements Transform {

    private final Format from;
    private final Format to;
    private final ZoneId zone;

    DateFormatTransform(String from, String to, String zone) {
        this(zoneOf(zone), from, to);
    }

    private DateFormatTransform(ZoneId zone, String from, String to) {
        this(Format.of(from, zone), Format.of(to, zone), zone);
    }

    private DateFormatTransform(Format from, Format to, ZoneId zone) {
        this.from = from;
        this.to = to;
        this.zone = zone;
        // fail at load, not on the first record, when a pattern cannot print a point in time (either way, for write-back)
        for (Format format : new Format[] {from, to}) {
            try {
                format.format(Instant.EPOCH);
            } catch (DateTimeException e) {
                throw new IllegalArgumentException("dateFormat: pattern '" + format.spec + "' cannot format a date: " + e.getMessage());
            }
        }
    }

    @Override
    public String id() {
        return "dateFormat";
    }

    @Override
    public Object apply(Object value) {
        if (value == null || (value instanceof String s && s.isBlank())) {
            return null;
        }
        return to.format(toInstant(value));
    }

    @Override
    public Optional<Transform> reverse() {
        return Optional.of(new DateFormatTransform(to, from, zone));
    }

    private Instant toInstant(Object value) {
        if (value instanceof Instant instant) {
            return instant;
        }
        if (value instanceof OffsetDateTime odt) {
            return odt.toInstant();
        }
        if (value instanceof ZonedDateTime zdt) {
            return zdt.toInstant();
        }
        if (value instanceof LocalDateTime ldt) {
            return ldt.atZone(zone).toInstant();
        }
        if (value instanceof LocalDate date) {
            return date.atStartOfDay(zone).toInstant();
        }
        if (value instanceof Date date) {
            return date.toInstant();
        }
        try {
            return from.parse(value);
        } catch (DateTimeException | NumberFormatException e) {
            throw new IllegalArgumentException("dateFormat: cannot read " + Transforms.quote(String.valueOf(value)) + " as " + from.spec);
        }
    }

    private static ZoneId zoneOf(String zone) {
        if (zone == null) {
            return ZoneOffset.UTC;
        }
        try {
            return ZoneId.of(zone);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("dateFormat: unknown zone '" + zone + "'");
        }
    }

    /** One side of the conversion; pattern formatters are built once, at load. */
    /** An ISO-8601 or Salesforce datetime with an offset ({@code 2024-01-01T00:00:00.000+0000}) as an instant, or null. */
    public static Instant instantOf(String text) {
        return text == null ? null : Format.parseIsoWithOffset(text);
    }

    private abstract static class Format {

        /** ISO date, optionally with time and an offset written Z, +00:00 or +0000 (Salesforce REST). */
        private static final DateTimeFormatter ISO_READER = new DateTimeFormatterBuilder()
                .parseCaseInsensitive()
                .append(DateTimeFormatter.ISO_LOCAL_DATE)
                .optionalStart()
                .appendLiteral('T')
                .append(DateTimeFormatter.ISO_LOCAL_TIME)
                .optionalStart().appendOffset("+HH:MM:ss", "Z").optionalEnd()
                .optionalStart().appendOffset("+HHMM", "Z").optionalEnd()
                .optionalEnd()
                .toFormatter(Locale.ROOT);

        final String spec;
        final ZoneId zone;

        Format(String spec, ZoneId zone) {
            this.spec = spec;
            this.zone = zone;
        }

        abstract Instant parse(Object value);

        abstract Object format(Instant instant);

        static Format of(String spec, ZoneId zone) {
            if (spec == null || spec.equals("iso")) {
                return new Format("iso", zone) {
                    @Override
                    Instant parse(Object value) {
                        String text = text(value);
                        Instant fast = parseIsoWithOffset(text);
                        return fast != null ? fast
                                : toInstant(ISO_READER.parseBest(text, OffsetDateTime::from, LocalDateTime::from, LocalDate::from), zone);
                    }

                    @Override
                    Object format(Instant instant) {
                        return instant.toString();
                    }
                };
            }
            if (spec.equals("epochMillis")) {
                return new Format(spec, zone) {
                    @Override
                    Instant parse(Object value) {
                        long millis = value instanceof Number n ? n.longValue() : Long.parseLong(text(value).strip());
                        return Instant.ofEpochMilli(millis);
                    }

                    @Override
                    Object format(Instant instant) {
                        return instant.toEpochMilli();
                    }
                };
            }
            if (spec.equals("date")) {
                return new Format(spec, zone) {
                    @Override
                    Instant parse(Object value) {
                        return LocalDate.parse(text(value).strip()).atStartOfDay(zone).toInstant();
                    }

                    @Override
                    Object format(Instant instant) {
                        return LocalDate.ofInstant(instant, zone).toString();
                    }
                };
            }
            DateTimeFormatter pattern;
            try {
                pattern = DateTimeFormatter.ofPattern(spec, Locale.ROOT).withZone(zone);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("dateFormat: invalid pattern '" + spec + "': " + e.getMessage());
            }
            return new Format(spec, zone) {
                @Override
                Instant parse(Object value) {
                    return toInstant(pattern.parseBest(text(value).strip(), ZonedDateTime::from, LocalDateTime::from, LocalDate::from), zone);
                }

                @Override
                Object format(Instant instant) {
                    return pattern.format(instant);
                }
            };
        }

        /**
         * Reads {@code yyyy-MM-ddTHH:mm:ss[.fraction](Z|+HH:MM|+HHMM)} by hand: two datetimes per record through
         * DateTimeFormatter.parseBest cost more than the rest of a Salesforce Account's mapping. Null for any other shape.
         */
        static Instant parseIsoWithOffset(String s) {
            int length = s.length();
            if (length < 20 || s.charAt(4) != '-' || s.charAt(7) != '-' || (s.charAt(10) != 'T' && s.charAt(10) != 't')
                    || s.charAt(13) != ':' || s.charAt(16) != ':') {
                return null;
            }
            int year = digits(s, 0, 4);
            int month = digits(s, 5, 2);
            int day = digits(s, 8, 2);
            int hour = digits(s, 11, 2);
            int minute = digits(s, 14, 2);
            int second = digits(s, 17, 2);
            if ((year | month | day | hour | minute | second) < 0) {
                return null;
            }
            int at = 19;
            int nanos = 0;
            if (s.charAt(at) == '.') {
                int start = ++at;
                while (at < length && at - start < 9 && Character.isDigit(s.charAt(at))) {
                    nanos = nanos * 10 + (s.charAt(at++) - '0');
                }
                if (at == start) {
                    return null;
                }
                for (int i = at - start; i < 9; i++) {
                    nanos *= 10;
                }
            }
            if (at >= length) {
                return null;
            }
            int offsetSeconds;
            char sign = s.charAt(at);
            if ((sign == 'Z' || sign == 'z') && at + 1 == length) {
                offsetSeconds = 0;
            } else if ((sign == '+' || sign == '-') && (at + 5 == length || (at + 6 == length && s.charAt(at + 3) == ':'))) {
                int offsetHours = digits(s, at + 1, 2);
                int offsetMinutes = digits(s, length - 2, 2);
                if ((offsetHours | offsetMinutes) < 0 || offsetHours > 18 || offsetMinutes > 59) {
                    return null;
                }
                offsetSeconds = (sign == '-' ? -1 : 1) * (offsetHours * 3600 + offsetMinutes * 60);
            } else {
                return null;
            }
            if (hour > 23 || minute > 59 || second > 59) {
                throw new DateTimeException("time out of range");
            }
            long epochDay = LocalDate.of(year, month, day).toEpochDay();
            return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3600L + minute * 60L + second - offsetSeconds, nanos);
        }

        /** The value of {@code count} ASCII digits at {@code from}, or -1. */
        private static int digits(String s, int from, int count) {
            int value = 0;
            for (int i = from; i < from + count; i++) {
                char c = s.charAt(i);
                if (c < '0' || c > '9') {
                    return -1;
                }
                value = value * 10 + (c - '0');
            }
            return value;
        }

        private static String text(Object value) {
            if (value instanceof String s) {
                return s;
            }
            throw new DateTimeException("not text");
        }

        private static Instant toInstant(TemporalAccessor parsed, ZoneId zone) {
            if (parsed instanceof OffsetDateTime odt) {
                return odt.toInstant();
            }
            if (parsed instanceof ZonedDateTime zdt) {
                return zdt.toInstant();
            }
            if (parsed instanceof LocalDateTime ldt) {
                return ldt.atZone(zone).toInstant();
            }
            return ((LocalDate) parsed).atStartOfDay(zone).toInstant();
        }
    }
}
