package processors.sync;

import java.text.ParseException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.Locale;
import java.util.TimeZone;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.quartz.CronExpression;

import hub.InvalidInputException;

/**
 * Sync schedules: a Quartz cron (seconds first), a five-field Unix cron, or an interval such as
 * {@code 15m}, {@code 1h}, {@code 1d}, {@code hourly}, {@code daily}. All in UTC.
 */
public final class Schedules {

    private static final Pattern UNIX_DAY = Pattern.compile("(?<![/\\d])(\\d+)");
    private static final Pattern INTERVAL = Pattern.compile("(\\d{1,6})\\s*(s|m|h|d)");

    private Schedules() {
    }

    /** Checks the expression and that it does not fire more often than {@code minInterval}; 400 naming the field otherwise. */
    public static void validate(String field, String expression, Duration minInterval) {
        OffsetDateTime first = next(field, expression, OffsetDateTime.now(ZoneOffset.UTC));
        OffsetDateTime previous = first;
        for (int i = 0; i < 5; i++) {
            OffsetDateTime following = next(field, expression, previous);
            if (Duration.between(previous, following).compareTo(minInterval) < 0) {
                throw new InvalidInputException(field, "runs more often than the minimum interval of " + minInterval.toString().substring(2).toLowerCase(Locale.ROOT));
            }
            previous = following;
        }
    }

    /** The first run strictly after {@code after}. */
    public static OffsetDateTime next(String field, String expression, OffsetDateTime after) {
        String value = expression.trim().toLowerCase(Locale.ROOT);
        Duration interval = interval(value);
        if (interval != null) {
            return after.plus(interval);
        }
        CronExpression cron = cron(field, expression.trim());
        Date next = cron.getNextValidTimeAfter(Date.from(after.toInstant()));
        if (next == null) {
            throw new InvalidInputException(field, "cron expression never fires again");
        }
        return next.toInstant().atOffset(ZoneOffset.UTC);
    }

    private static Duration interval(String value) {
        switch (value) {
            case "hourly":
                return Duration.ofHours(1);
            case "daily":
                return Duration.ofDays(1);
            default:
                break;
        }
        Matcher m = INTERVAL.matcher(value);
        if (!m.matches()) {
            return null;
        }
        long n = Long.parseLong(m.group(1));
        if (n == 0) {
            return Duration.ZERO;
        }
        return switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }

    /** Unix counts weekdays 0-7 from Sunday, Quartz 1-7 from Sunday; step values after '/' are counts, not days. */
    private static String unixToQuartzDays(String field) {
        Matcher m = UNIX_DAY.matcher(field);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Integer.toString(Integer.parseInt(m.group(1)) % 7 + 1));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static CronExpression cron(String field, String expression) {
        String[] parts = expression.split("\\s+");
        String quartz = expression;
        if (parts.length == 5) {
            // Unix cron has no seconds field and allows '*' in both day fields; Quartz wants one of them '?'
            String dayOfMonth = parts[2];
            String dayOfWeek = unixToQuartzDays(parts[4]);
            if (!"*".equals(dayOfWeek) && "*".equals(dayOfMonth)) {
                dayOfMonth = "?";
            } else {
                dayOfWeek = "?";
            }
            quartz = "0 " + parts[0] + " " + parts[1] + " " + dayOfMonth + " " + parts[3] + " " + dayOfWeek;
        } else if (parts.length != 6 && parts.length != 7) {
            throw new InvalidInputException(field, "not a cron expression (5, 6 or 7 fields) nor an interval like 15m, 1h, 1d");
        }
        try {
            CronExpression cron = new CronExpression(quartz);
            cron.setTimeZone(TimeZone.getTimeZone("UTC"));
            return cron;
        } catch (ParseException e) {
            throw new InvalidInputException(field, "invalid cron expression: " + e.getMessage());
        }
    }
}
