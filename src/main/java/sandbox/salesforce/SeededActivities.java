package sandbox.salesforce;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Random;

/**
 * The seeded tasks and events of an org, what a sales team logs about its accounts. Each account k has one Task
 * and, when k is odd, one Event; each is about the account, its contacts or its opportunity, by position:
 * <ul>
 *   <li>the Task is about the account (k % 3 == 0: WhatId the account, no WhoId), its first contact (k % 3 == 1:
 *       a call, WhoId the contact, no WhatId) or its opportunity (k % 3 == 2: an email, WhatId the opportunity,
 *       WhoId the first contact);</li>
 *   <li>the Event likewise by (k + 1) % 3 with the second contact: a business review, a meeting, a demo;</li>
 *   <li>k % 10 == 9: the Event is an all-day workshop; tasks due before 2025-01-01 are Completed;</li>
 *   <li>AccountId is what Salesforce derives (the account in every case), OwnerId the org's user.</li>
 * </ul>
 * Other values come from a Random seeded by the seed and k, so they do not depend on the number of accounts.
 */
final class SeededActivities {

    /** Tasks fall due within 60 days either side of this date; events start within 90 days after it. */
    static final LocalDate TODAY = LocalDate.of(2025, 1, 1);
    private static final SObjectSchema T = SObjectSchema.TASK;
    private static final SObjectSchema E = SObjectSchema.EVENT;
    private static final List<String> OPEN_STATUSES = List.of("Not Started", "In Progress", "Waiting on someone else",
            "Deferred");
    private static final List<String> ACCOUNT_TASKS = List.of("Send Quote", "Send Letter", "Update the account plan",
            "Check the renewal date");
    private static final int[] DURATIONS = {30, 45, 60, 90};
    private static final List<String> ONLINE = List.of("Zoom", "Microsoft Teams", "Google Meet");

    /** An account as its activities need it: the ids and names of its records. */
    record Account(int k, String accountId, String accountName, String city, List<String> contactIds,
                   List<String> contactNames, String opportunityId, String opportunityName) {
    }

    private final long seed;
    private final String orgCode;
    private final String ownerId;

    SeededActivities(long seed, String orgCode) {
        this.seed = seed;
        this.orgCode = orgCode;
        this.ownerId = SalesforceIds.of("005", orgCode, 1);
    }

    /** The account's Task. */
    SandboxRecord task(Account a, Instant stamp) {
        Random random = random(a.k(), 0);
        Object[] v = new Object[T.fields().size()];
        String contact = a.contactNames().get(0);
        LocalDate due = TODAY.plusDays(random.nextInt(121) - 60);
        String subject;
        String subtype;
        String description;
        switch (a.k() % 3) {
            case 0 -> {
                put(v, T, "WhatId", a.accountId());
                subject = pick(random, ACCOUNT_TASKS);
                subtype = "Task";
                description = sentence(subject + " for " + a.accountName());
            }
            case 1 -> {
                put(v, T, "WhoId", a.contactIds().get(0));
                subject = "Call";
                subtype = "Call";
                description = random.nextBoolean() ? "Left a voicemail for " + contact + "."
                        : "Talked with " + contact + " about next quarter's needs.";
            }
            default -> {
                put(v, T, "WhoId", a.contactIds().get(0));
                put(v, T, "WhatId", a.opportunityId());
                subject = "Email: " + a.opportunityName();
                subtype = "Email";
                description = sentence("Sent the proposal for " + a.opportunityName() + " to " + contact);
            }
        }
        put(v, T, "Id", SalesforceIds.of(T.keyPrefix(), orgCode, a.k() + 1L));
        put(v, T, "IsDeleted", Boolean.FALSE);
        put(v, T, "Subject", subject);
        put(v, T, "ActivityDate", due);
        put(v, T, "Status", due.isBefore(TODAY) ? "Completed" : pick(random, OPEN_STATUSES));
        int priority = random.nextInt(10);
        put(v, T, "Priority", priority < 2 ? "High" : priority == 2 ? "Low" : "Normal");
        put(v, T, "TaskSubtype", subtype);
        // one in six is logged without notes
        put(v, T, "Description", random.nextInt(6) == 0 ? null : description);
        put(v, T, "AccountId", a.accountId());
        put(v, T, "OwnerId", ownerId);
        stamp(v, T, stamp);
        return new SandboxRecord(T, v);
    }

    /** The account's Event, for odd k only; its id counts events. */
    SandboxRecord event(Account a, Instant stamp) {
        Random random = random(a.k(), 1);
        Object[] v = new Object[E.fields().size()];
        String contact = a.contactNames().get(1);
        String subject;
        String location;
        String description;
        switch ((a.k() + 1) % 3) {
            case 0 -> {
                put(v, E, "WhatId", a.accountId());
                subject = "Quarterly business review";
                location = a.city();
                description = sentence("Review of the quarter with " + a.accountName());
            }
            case 1 -> {
                put(v, E, "WhoId", a.contactIds().get(1));
                subject = "Meeting";
                location = pick(random, ONLINE);
                description = "Introduction meeting with " + contact + ".";
            }
            default -> {
                put(v, E, "WhoId", a.contactIds().get(1));
                put(v, E, "WhatId", a.opportunityId());
                subject = "Demo: " + a.opportunityName();
                location = pick(random, ONLINE);
                description = "Product demo for " + contact + ".";
            }
        }
        boolean allDay = a.k() % 10 == 9;
        LocalDate day = TODAY.plusDays(1 + random.nextInt(90));
        Instant start = allDay ? day.atStartOfDay(ZoneOffset.UTC).toInstant()
                : day.atTime(8 + random.nextInt(9), random.nextBoolean() ? 0 : 30).toInstant(ZoneOffset.UTC);
        int minutes = allDay ? 24 * 60 : DURATIONS[random.nextInt(DURATIONS.length)];
        put(v, E, "Id", SalesforceIds.of(E.keyPrefix(), orgCode, (a.k() + 1L) / 2));
        put(v, E, "IsDeleted", Boolean.FALSE);
        put(v, E, "Subject", allDay ? "On-site workshop" : subject);
        put(v, E, "Location", allDay ? a.city() : location);
        put(v, E, "IsAllDayEvent", allDay);
        put(v, E, "ActivityDateTime", start);
        put(v, E, "ActivityDate", day);
        put(v, E, "DurationInMinutes", minutes);
        put(v, E, "StartDateTime", start);
        put(v, E, "EndDateTime", start.plusSeconds(60L * minutes));
        put(v, E, "Description", random.nextInt(6) == 0 ? null : description);
        put(v, E, "AccountId", a.accountId());
        put(v, E, "OwnerId", ownerId);
        stamp(v, E, stamp);
        return new SandboxRecord(E, v);
    }

    /** Ends the text with a full stop, unless a name ending in one (Co.) already does. */
    private static String sentence(String text) {
        return text.endsWith(".") ? text : text + ".";
    }

    private Random random(int k, int which) {
        return new Random(seed * 1_000_003L + 2L * k + which);
    }

    private static void stamp(Object[] v, SObjectSchema type, Instant at) {
        put(v, type, "CreatedDate", at);
        put(v, type, "LastModifiedDate", at);
        put(v, type, "SystemModstamp", at);
    }

    private static void put(Object[] values, SObjectSchema type, String field, Object value) {
        values[type.require(field).index()] = value;
    }

    private static <T> T pick(Random random, List<T> values) {
        return values.get(random.nextInt(values.size()));
    }
}
