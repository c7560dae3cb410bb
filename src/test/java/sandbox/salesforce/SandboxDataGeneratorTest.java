package sandbox.salesforce;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class SandboxDataGeneratorTest {

    private static List<SandboxRecord> generate(int accounts, String orgCode) {
        List<SandboxRecord> out = new ArrayList<>();
        new SandboxDataGenerator().generate(accounts, orgCode, out::add);
        return out;
    }

    private static List<SandboxRecord> ofType(List<SandboxRecord> records, SObjectSchema type) {
        return records.stream().filter(r -> r.type() == type).toList();
    }

    @Test
    void twoGeneratorsProduceIdenticalData() {
        List<Map<String, Object>> first = generate(300, "5A").stream().map(SandboxRecord::toMap).toList();
        List<Map<String, Object>> second = generate(300, "5A").stream().map(SandboxRecord::toMap).toList();
        assertThat(second).isEqualTo(first);
    }

    @Test
    void otherOrgsGetTheSameValuesUnderTheirOwnIds() {
        List<SandboxRecord> a = generate(50, "5A");
        List<SandboxRecord> b = generate(50, "Qx");
        for (int i = 0; i < a.size(); i++) {
            Map<String, Object> left = a.get(i).toMap();
            Map<String, Object> right = b.get(i).toMap();
            assertThat(right.get("Id")).isNotEqualTo(left.get("Id"));
            // ids and every reference to a record carry the org code
            for (SObjectField f : a.get(i).type().fields()) {
                if (f.type().isIdLike()) {
                    assertThat(right.get(f.name()) == null).isEqualTo(left.get(f.name()) == null);
                    left.remove(f.name());
                    right.remove(f.name());
                }
            }
            assertThat(right).isEqualTo(left);
        }
    }

    @Test
    void seedsTwoContactsAndOneOpportunityPerAccountThenTheirActivitiesWithLinkedIds() {
        List<SandboxRecord> records = generate(100, "5A");
        Map<SObjectSchema, Long> counts = records.stream().collect(Collectors.groupingBy(SandboxRecord::type, Collectors.counting()));
        assertThat(counts).containsExactlyInAnyOrderEntriesOf(Map.of(SObjectSchema.ACCOUNT, 100L, SObjectSchema.CONTACT, 200L,
                SObjectSchema.OPPORTUNITY, 100L, SObjectSchema.TASK, 100L, SObjectSchema.EVENT, 50L));
        Set<String> accountIds = new HashSet<>();
        Set<String> allIds = new HashSet<>();
        Instant previous = Instant.MIN;
        for (SandboxRecord r : records) {
            assertThat(allIds.add(r.id())).isTrue();
            assertThat(SalesforceIds.normalize(r.id())).isEqualTo(r.id());
            assertThat(r.id()).startsWith(r.type().keyPrefix() + "5A");
            assertThat(r.systemModstamp()).isAfter(previous);
            assertThat(r.get("CreatedDate")).isEqualTo(r.systemModstamp());
            assertThat(r.isDeleted()).isFalse();
            previous = r.systemModstamp();
            if (r.type() == SObjectSchema.ACCOUNT) {
                accountIds.add(r.id());
            } else {
                assertThat(accountIds).contains((String) r.get("AccountId"));
            }
            if (r.type().isActivity()) {
                // who and what an activity is about were created before it
                for (String reference : List.of("WhoId", "WhatId")) {
                    if (r.get(reference) != null) {
                        assertThat(allIds).contains((String) r.get(reference));
                    }
                }
                assertThat(r.get("OwnerId")).isEqualTo(SalesforceIds.of("005", "5A", 1));
            }
        }
        assertThat(records.get(0).systemModstamp()).isEqualTo(SandboxDataGenerator.SEED_BASE);
        // accounts, contacts and opportunities first, four per account; the activities after them
        assertThat(records.get(400).type()).isEqualTo(SObjectSchema.TASK);
        assertThat(records.get(396).systemModstamp()).isEqualTo(SandboxDataGenerator.SEED_BASE.plusSeconds(396));
    }

    @Test
    void activitiesAreAboutTheAccountItsContactsOrItsOpportunityWhereDocumented() {
        List<SandboxRecord> records = generate(30, "5A");
        List<SandboxRecord> accounts = ofType(records, SObjectSchema.ACCOUNT);
        List<SandboxRecord> contacts = ofType(records, SObjectSchema.CONTACT);
        List<SandboxRecord> opportunities = ofType(records, SObjectSchema.OPPORTUNITY);
        List<SandboxRecord> tasks = ofType(records, SObjectSchema.TASK);
        List<SandboxRecord> events = ofType(records, SObjectSchema.EVENT);
        for (int k = 0; k < 30; k++) {
            SandboxRecord task = tasks.get(k);
            assertThat(task.get("AccountId")).isEqualTo(accounts.get(k).id());
            switch (k % 3) {
                case 0 -> {
                    assertThat(task.get("WhatId")).isEqualTo(accounts.get(k).id());
                    assertThat(task.get("WhoId")).isNull();
                }
                case 1 -> {
                    assertThat(task.get("WhoId")).isEqualTo(contacts.get(2 * k).id());
                    assertThat(task.get("WhatId")).isNull();
                    assertThat(task.get("TaskSubtype")).isEqualTo("Call");
                }
                default -> {
                    assertThat(task.get("WhatId")).isEqualTo(opportunities.get(k).id());
                    assertThat(task.get("WhoId")).isEqualTo(contacts.get(2 * k).id());
                    assertThat((String) task.get("Subject")).isEqualTo("Email: " + opportunities.get(k).get("Name"));
                }
            }
            LocalDate due = (LocalDate) task.get("ActivityDate");
            assertThat(due.isBefore(SeededActivities.TODAY)).isEqualTo(task.get("Status").equals("Completed"));
            assertThat(SObjectSchema.TASK_PRIORITIES).contains((String) task.get("Priority"));
        }
        assertThat(events).hasSize(15);
        for (SandboxRecord event : events) {
            int k = accounts.stream().map(SandboxRecord::id).toList().indexOf((String) event.get("AccountId"));
            assertThat(k % 2).isEqualTo(1);
            Instant start = (Instant) event.get("StartDateTime");
            int minutes = (Integer) event.get("DurationInMinutes");
            assertThat(event.get("EndDateTime")).isEqualTo(start.plusSeconds(60L * minutes));
            assertThat(event.get("ActivityDateTime")).isEqualTo(start);
            assertThat(event.get("ActivityDate")).isEqualTo(LocalDate.ofInstant(start, ZoneOffset.UTC));
            assertThat(event.get("IsAllDayEvent")).isEqualTo(k % 10 == 9);
            if (k % 10 == 9) {
                assertThat(minutes).isEqualTo(1440);
                assertThat(start).isEqualTo(start.truncatedTo(ChronoUnit.DAYS));
            }
            if ((k + 1) % 3 == 1) {
                assertThat(event.get("WhoId")).isEqualTo(contacts.get(2 * k + 1).id());
            }
        }
    }

    @Test
    void valuesLookRealAndQuirksSitWhereDocumented() {
        List<SandboxRecord> records = generate(60, "5A");
        List<SandboxRecord> accounts = records.stream().filter(r -> r.type() == SObjectSchema.ACCOUNT).toList();
        List<SandboxRecord> contacts = records.stream().filter(r -> r.type() == SObjectSchema.CONTACT).toList();
        SandboxRecord account = accounts.get(0);
        assertThat((String) account.get("Website")).matches("https://www\\.[a-z0-9]+\\.com");
        assertThat((String) account.get("Phone")).matches("\\(\\d{3}\\) 555-\\d{4}|\\+[0-9 ]+");
        assertThat(SObjectSchema.INDUSTRIES).contains((String) account.get("Industry"));
        assertThat(account.get("BillingAddress")).isInstanceOf(Map.class);
        assertThat((String) accounts.get(7).get("Name")).endsWith(" ").doesNotStartWith(" ");
        assertThat((String) accounts.get(23).get("Name")).startsWith(" ");
        assertThat((String) accounts.get(8).get("Name")).isEqualTo(((String) accounts.get(8).get("Name")).trim());
        SandboxRecord contact = contacts.get(0);
        assertThat((String) contact.get("Email")).matches("[a-z.]+@[a-z0-9]+\\.com");
        assertThat(contact.get("Name")).isEqualTo(contact.get("FirstName") + " " + contact.get("LastName"));
        assertThat((String) contacts.get(3).get("Email")).matches(".*[A-Z].*");
        assertThat(contacts.get(11).get("FirstName")).isNull();
        assertThat(contacts.get(11).get("Name")).isEqualTo(contacts.get(11).get("LastName"));
        SandboxRecord opportunity = records.get(3);
        assertThat(opportunity.type()).isEqualTo(SObjectSchema.OPPORTUNITY);
        assertThat((String) opportunity.get("Name")).startsWith(((String) account.get("Name")).trim() + " - ");
        assertThat((Double) opportunity.get("Amount")).isBetween(5_000.0, 500_000.0);
    }

    @Test
    void tenThousandAccountsAreQuick() {
        long start = System.nanoTime();
        int[] count = {0};
        new SandboxDataGenerator().generate(10_000, "5A", r -> count[0]++);
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(count[0]).isEqualTo(55_000);
        assertThat(millis).isLessThan(2_000);
    }
}
