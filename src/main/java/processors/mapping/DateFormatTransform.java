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
final class DateFormatTransform implements Transform {

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
        // fail at load, not on the first record, when the pattern cannot print a point in time
        try {
            to.format(Instant.EPOCH);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("dateFormat: pattern '" + to.spec + "' cannot format a date: " + e.getMessage());
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

    String from() {
        return from.spec;
    }

    String to() {
        return to.spec;
    }

    ZoneId zone() {
        return zone;
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
                        return toInstant(ISO_READER.parseBest(text(value), OffsetDateTime::from, LocalDateTime::from, LocalDate::from), zone);
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
