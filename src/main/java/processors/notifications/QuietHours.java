package processors.notifications;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;

import hub.InvalidInputException;

/**
 * A channel's quiet hours in the tenant's time zone, {@code start} to {@code end} (crossing midnight when end is before
 * start): groups below critical wait until they end; critical ones go at once.
 */
public record QuietHours(LocalTime start, LocalTime end, ZoneId zone) {

    /** Quiet hours from their settings, or null when none are set; a bad value names its field. */
    public static QuietHours parse(String start, String end, String zone) {
        if (start == null && end == null) {
            return null;
        }
        if (start == null || end == null) {
            throw new InvalidInputException(start == null ? "quietHours.start" : "quietHours.end", "quiet hours need both start and end (HH:mm)");
        }
        ZoneId id;
        try {
            id = ZoneId.of(zone == null ? "UTC" : zone);
        } catch (DateTimeException e) {
            throw new InvalidInputException("quietHours.timeZone", "not a time zone such as Europe/Berlin");
        }
        QuietHours hours = new QuietHours(time("quietHours.start", start), time("quietHours.end", end), id);
        if (hours.start.equals(hours.end)) {
            throw new InvalidInputException("quietHours.end", "must differ from start");
        }
        return hours;
    }

    private static LocalTime time(String field, String text) {
        try {
            if (!text.matches("[0-2][0-9]:[0-5][0-9]")) {
                throw new DateTimeParseException("", text, 0);
            }
            return LocalTime.parse(text);
        } catch (DateTimeParseException e) {
            throw new InvalidInputException(field, "must be a time of day HH:mm, such as 22:00");
        }
    }

    public boolean quiet(Instant at) {
        LocalTime local = at.atZone(zone).toLocalTime();
        return start.isBefore(end) ? !local.isBefore(start) && local.isBefore(end) : !local.isBefore(start) || local.isBefore(end);
    }

    /** When the quiet hours that hold {@code at} end. */
    public Instant endAfter(Instant at) {
        ZonedDateTime local = at.atZone(zone);
        ZonedDateTime end = local.with(this.end).withSecond(0).withNano(0);
        if (!end.isAfter(local)) {
            end = end.plusDays(1);
        }
        return end.toInstant();
    }
}
