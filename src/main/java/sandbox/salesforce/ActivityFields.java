package sandbox.salesforce;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

import org.springframework.http.HttpStatus;

/**
 * What Salesforce fills in on a Task or Event write (and a new Lead's Status and IsConverted): defaults (Status, Priority, TaskSubtype, IsAllDayEvent,
 * OwnerId), the read-only AccountId, and an event's start, end and duration from one another.
 *
 * <p>AccountId follows Salesforce's rule: the account of WhatId when that is an Account (itself) or an Opportunity
 * (its AccountId), else the AccountId of WhoId when that is a Contact, else empty.
 */
final class ActivityFields {

    /** Salesforce refuses events longer than this. */
    static final long MAX_EVENT_MINUTES = Duration.ofDays(14).toMinutes();
    private static final long DAY_MINUTES = Duration.ofDays(1).toMinutes();

    private ActivityFields() {
    }

    /**
     * The values to write: the given ones plus what Salesforce derives from them and from the record as it is.
     *
     * @param current the record before the write, null on create
     * @param ownerId the org's user, owner of activities created without one
     * @param find a live record by type and id, or null
     * @throws SalesforceApiException with Salesforce's error codes when an event's times do not fit together
     */
    static Map<SObjectField, Object> complete(SObjectSchema type, SandboxRecord current, Map<SObjectField, Object> values,
            String ownerId, BiFunction<SObjectSchema, String, SandboxRecord> find) {
        if (type == SObjectSchema.LEAD && current == null) {
            Map<SObjectField, Object> lead = new LinkedHashMap<>(values);
            defaultTo(lead, type, "Status", SObjectSchema.LEAD_STATUSES.get(0));
            defaultTo(lead, type, "IsConverted", Boolean.FALSE);
            return lead;
        }
        if (!type.isActivity()) {
            return values;
        }
        Map<SObjectField, Object> all = new LinkedHashMap<>(values);
        if (current == null) {
            defaultTo(all, type, "OwnerId", ownerId);
            if (type == SObjectSchema.TASK) {
                defaultTo(all, type, "Status", "Not Started");
                defaultTo(all, type, "Priority", "Normal");
                defaultTo(all, type, "TaskSubtype", "Task");
            } else {
                defaultTo(all, type, "IsAllDayEvent", Boolean.FALSE);
            }
        }
        all.put(type.require("AccountId"), accountId(value(type, "WhatId", current, all), value(type, "WhoId", current, all),
                find));
        if (type == SObjectSchema.EVENT) {
            times(current, all);
        }
        return all;
    }

    private static String accountId(Object whatId, Object whoId, BiFunction<SObjectSchema, String, SandboxRecord> find) {
        if (whatId instanceof String what) {
            if (what.startsWith(SObjectSchema.ACCOUNT.keyPrefix())) {
                return what;
            }
            if (what.startsWith(SObjectSchema.OPPORTUNITY.keyPrefix())) {
                SandboxRecord opportunity = find.apply(SObjectSchema.OPPORTUNITY, what);
                return opportunity == null ? null : (String) opportunity.get("AccountId");
            }
        }
        if (whoId instanceof String who && who.startsWith(SObjectSchema.CONTACT.keyPrefix())) {
            SandboxRecord contact = find.apply(SObjectSchema.CONTACT, who);
            return contact == null ? null : (String) contact.get("AccountId");
        }
        return null;
    }

    /**
     * StartDateTime comes from itself, else ActivityDateTime, else (all day) ActivityDate; EndDateTime and
     * DurationInMinutes from each other, a moved start keeping the duration. ActivityDateTime and ActivityDate
     * then follow the start; an all-day event starts at midnight UTC and lasts whole days.
     */
    private static void times(SandboxRecord current, Map<SObjectField, Object> all) {
        SObjectSchema e = SObjectSchema.EVENT;
        boolean allDay = Boolean.TRUE.equals(value(e, "IsAllDayEvent", current, all));
        Instant start = (Instant) given(e, "StartDateTime", all);
        if (start == null) {
            start = (Instant) given(e, "ActivityDateTime", all);
        }
        if (start == null && allDay && given(e, "ActivityDate", all) instanceof LocalDate date) {
            start = date.atStartOfDay(ZoneOffset.UTC).toInstant();
        }
        if (start == null) {
            start = current == null ? null : (Instant) current.get("StartDateTime");
        }
        if (start == null) {
            throw missing(allDay ? "ActivityDate" : "StartDateTime");
        }
        if (allDay) {
            start = start.truncatedTo(ChronoUnit.DAYS);
        }
        Long minutes;
        if (given(e, "EndDateTime", all) instanceof Instant end) {
            minutes = Duration.between(start, end).toMinutes();
        } else if (given(e, "DurationInMinutes", all) instanceof Integer duration) {
            minutes = duration.longValue();
        } else if (current != null && current.get("DurationInMinutes") instanceof Integer duration) {
            minutes = duration.longValue();
        } else {
            minutes = allDay ? DAY_MINUTES : null;
        }
        if (minutes == null) {
            throw missing("DurationInMinutes");
        }
        if (allDay) {
            minutes = Math.max(1, (minutes + DAY_MINUTES - 1) / DAY_MINUTES) * DAY_MINUTES;
        }
        if (minutes < 0) {
            throw invalid("EndDateTime", "End Date Time: End time can't be before start time");
        }
        if (minutes > MAX_EVENT_MINUTES) {
            throw invalid("DurationInMinutes", "Duration: an event can't last longer than 14 days");
        }
        all.put(e.require("StartDateTime"), start);
        all.put(e.require("ActivityDateTime"), start);
        all.put(e.require("ActivityDate"), LocalDate.ofInstant(start, ZoneOffset.UTC));
        all.put(e.require("DurationInMinutes"), (int) (long) minutes);
        all.put(e.require("EndDateTime"), start.plus(Duration.ofMinutes(minutes)));
    }

    private static void defaultTo(Map<SObjectField, Object> all, SObjectSchema type, String field, Object value) {
        SObjectField f = type.require(field);
        if (all.get(f) == null) {
            all.put(f, value);
        }
    }

    /** The value being written, else the record's current one. */
    private static Object value(SObjectSchema type, String field, SandboxRecord current, Map<SObjectField, Object> all) {
        SObjectField f = type.require(field);
        return all.containsKey(f) || current == null ? all.get(f) : current.get(f);
    }

    /** The value this write sets, null when it sets none. */
    private static Object given(SObjectSchema type, String field, Map<SObjectField, Object> all) {
        return all.get(type.require(field));
    }

    private static SalesforceApiException missing(String field) {
        return new SalesforceApiException(HttpStatus.BAD_REQUEST, "REQUIRED_FIELD_MISSING",
                "Required fields are missing: [" + field + "]", List.of(field));
    }

    private static SalesforceApiException invalid(String field, String message) {
        return new SalesforceApiException(HttpStatus.BAD_REQUEST, "FIELD_INTEGRITY_EXCEPTION", message, List.of(field));
    }
}
