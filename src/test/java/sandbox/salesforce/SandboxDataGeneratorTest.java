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

import sandbox.kit.Population;

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
                SObjectSchema.OPPORTUNITY, 100L, SObjectSchema.TASK, 100L, SObjectSchema.EVENT, 50L, SObjectSchema.LEAD, 50L));
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
            } else if (r.type() != SObjectSchema.LEAD) {
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
        // accounts, contacts and opportunities first, four per account; the activities after them, then the leads
        assertThat(records.get(400).type()).isEqualTo(SObjectSchema.TASK);
        assertThat(records.get(records.size() - 51).type()).isEqualTo(SObjectSchema.EVENT);
        assertThat(records.get(records.size() - 50).type()).isEqualTo(SObjectSchema.LEAD);
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
        List<SandboxRecord> accounts = ofType(records, SObjectSchema.ACCOUNT);
        List<SandboxRecord> contacts = ofType(records, SObjectSchema.CONTACT);
        for (SandboxRecord account : accounts) {
            assertThat(SObjectSchema.INDUSTRIES).contains((String) account.get("Industry"));
            assertThat(SObjectSchema.ACCOUNT_TYPES).contains((String) account.get("Type"));
            if (account.get("Website") != null) {
                assertThat((String) account.get("Website")).matches("(https?://)?(www\\.)?[a-z0-9]+\\.com/?");
            }
            if (account.get("Phone") != null) {
                assertThat(((String) account.get("Phone")).replaceAll("\\D", "")).hasSizeBetween(9, 13);
            }
            if (List.of("United Kingdom", "UK", "Germany", "Deutschland").contains((String) account.get("BillingCountry"))) {
                assertThat(account.get("BillingState")).isNull();
            }
        }
        assertThat(accounts.get(0).get("BillingAddress")).isInstanceOf(Map.class);
        assertThat((String) accounts.get(7).get("Name")).endsWith(" ").doesNotStartWith(" ");
        assertThat((String) accounts.get(23).get("Name")).startsWith(" ");
        assertThat((String) accounts.get(8).get("Name")).isEqualTo(((String) accounts.get(8).get("Name")).trim());
        assertThat(accounts.stream().filter(a -> a.get("BillingStreet") != null && ((String) a.get("BillingStreet")).contains("\nSuite ")))
                .isNotEmpty().allMatch(a -> accounts.indexOf(a) % 8 == 5);
        for (SandboxRecord contact : contacts) {
            String first = (String) contact.get("FirstName");
            assertThat(contact.get("Name")).isEqualTo(first == null ? contact.get("LastName") : first + " " + contact.get("LastName"));
            if (contact.get("Email") != null) {
                assertThat((String) contact.get("Email")).matches("[A-Za-z.]+@[A-Za-z0-9]+\\.com");
            }
        }
        assertThat((String) contacts.get(3).get("Email")).matches("[A-Z][A-Za-z]*(\\.[A-Z][A-Za-z]*)?@[A-Z][a-z0-9]+\\.com");
        assertThat(contacts.get(11).get("FirstName")).isNull();
        assertThat(contacts.get(11).get("Name")).isEqualTo(contacts.get(11).get("LastName"));
        assertThat(contacts.stream().map(c -> c.get("LastName"))).contains("O'Brien");
        SandboxRecord opportunity = records.get(3);
        assertThat(opportunity.type()).isEqualTo(SObjectSchema.OPPORTUNITY);
        assertThat(opportunity.get("AccountId")).isEqualTo(accounts.get(0).id());
        assertThat(SObjectSchema.STAGES).contains((String) opportunity.get("StageName"));
        assertThat((Double) opportunity.get("Amount")).isBetween(5_000.0, 500_000.0);
    }

    @Test
    void accountsContactsAndOpportunitiesAreThePopulationsWrittenTheSalesforceWay() {
        Population world = new Population();
        List<SandboxRecord> records = generate(120, "5A");
        List<SandboxRecord> accounts = ofType(records, SObjectSchema.ACCOUNT);
        List<SandboxRecord> contacts = ofType(records, SObjectSchema.CONTACT);
        List<SandboxRecord> opportunities = ofType(records, SObjectSchema.OPPORTUNITY);
        Map<String, String> stages = Map.of("Proposal", "Proposal/Price Quote", "Negotiation", "Negotiation/Review");
        for (int k = 0; k < 120; k++) {
            Population.Account truth = world.account("salesforce", k);
            SandboxRecord account = accounts.get(k);
            assertThat(((String) account.get("Name")).trim()).isEqualTo(truth.company().name());
            assertThat(account.get("Website")).isEqualTo(truth.company().website());
            assertThat(account.get("Phone")).isEqualTo(truth.company().phone());
            assertThat(account.get("BillingCity")).isEqualTo(truth.company().address().city());
            assertThat(account.get("BillingCountry")).isEqualTo(truth.company().address().country());
            assertThat(account.get("NumberOfEmployees")).isEqualTo(truth.company().employees());
            assertThat(account.get("Industry")).isEqualTo(truth.company().industry());
            for (int j = 0; j < 2; j++) {
                SandboxRecord contact = contacts.get(2 * k + j);
                Population.Person person = truth.people().get(j);
                assertThat(contact.get("LastName")).isEqualTo(person.lastName());
                assertThat(contact.get("Title")).isEqualTo(person.title());
                if ((2 * k + j) % 40 != 11) {
                    assertThat(contact.get("FirstName")).isEqualTo(person.firstName());
                }
                if ((2 * k + j) % 20 != 3) {
                    assertThat(contact.get("Email")).isEqualTo(person.email());
                }
            }
            SandboxRecord opportunity = opportunities.get(k);
            assertThat(opportunity.get("Name")).isEqualTo(truth.deal().name());
            assertThat(opportunity.get("StageName")).isEqualTo(stages.getOrDefault(truth.deal().stage(), truth.deal().stage()));
            assertThat(opportunity.get("Amount")).isEqualTo(truth.deal().amount().doubleValue());
            assertThat(opportunity.get("CloseDate")).isEqualTo(truth.deal().closeDate());
            assertThat(opportunity.get("Probability")).isEqualTo((double) truth.deal().probability());
            assertThat(SObjectSchema.OPPORTUNITY_TYPES).contains((String) opportunity.get("Type"));
            if (opportunity.get("LeadSource") != null) {
                assertThat(SObjectSchema.LEAD_SOURCES).contains((String) opportunity.get("LeadSource"));
            }
        }
    }

    @Test
    void groundTruthNamesTheEntityOfEverySeededRecordInCreationOrder() {
        List<SandboxRecord> all = generate(40, "Qx").stream().filter(r -> !r.type().isActivity()).toList();
        List<SandboxRecord> records = all.stream().filter(r -> r.type() != SObjectSchema.LEAD).toList();
        List<SandboxRecord> leads = all.stream().filter(r -> r.type() == SObjectSchema.LEAD).toList();
        List<String> told = new ArrayList<>();
        new SandboxDataGenerator().groundTruth(40, "Qx", (type, id, entity) -> {
            assertThat(SalesforceIds.normalize(id)).startsWith(type.keyPrefix());
            told.add(id + " " + entity);
        });
        assertThat(told).hasSize(all.size());
        Population world = new Population();
        for (int n = 0; n < leads.size(); n++) {
            assertThat(told.get(records.size() + n)).isEqualTo(leads.get(n).id() + " "
                    + world.prospect("salesforce", n).person().entityId());
        }
        for (int i = 0; i < records.size(); i++) {
            SandboxRecord r = records.get(i);
            int k = i / 4;
            String entity = r.type() == SObjectSchema.ACCOUNT ? world.account("salesforce", k).company().entityId()
                    : r.type() == SObjectSchema.CONTACT ? world.account("salesforce", k).people().get(i % 4 - 1).entityId()
                    : world.account("salesforce", k).deal().entityId();
            assertThat(told.get(i)).isEqualTo(r.id() + " " + entity);
        }
    }

    @Test
    void leadsWorkAtAccountsCompaniesSpelledAgainOrAtCompaniesNoOneHolds() {
        List<SandboxRecord> records = generate(200, "5A");
        List<SandboxRecord> accounts = ofType(records, SObjectSchema.ACCOUNT);
        List<SandboxRecord> leads = ofType(records, SObjectSchema.LEAD);
        Map<String, String> companies = new java.util.HashMap<>();
        new SandboxDataGenerator().leadCompanies(200, "5A", (type, id, entity) -> companies.put(id, entity));
        Population world = new Population();
        int atAccounts = 0;
        int spelledOtherwise = 0;
        int blank = 0;
        Set<String> unknownCompanies = new HashSet<>();
        for (int n = 0; n < leads.size(); n++) {
            SandboxRecord lead = leads.get(n);
            assertThat(lead.id()).isEqualTo(SalesforceIds.of("00Q", "5A", n + 1L));
            assertThat(lead.get("LastName")).isNotNull();
            assertThat(lead.get("Name")).isEqualTo(lead.get("FirstName") == null ? lead.get("LastName")
                    : lead.get("FirstName") + " " + lead.get("LastName"));
            assertThat(lead.get("IsConverted")).isEqualTo(Boolean.FALSE);
            assertThat(SObjectSchema.LEAD_STATUSES).contains((String) lead.get("Status"));
            if (lead.get("Company") == null) {
                blank++;
                assertThat(companies).doesNotContainKey(lead.id());
                continue;
            }
            if (n % 3 == 0) {
                atAccounts++;
                Population.Company company = world.account("salesforce", n).company();
                assertThat(companies.get(lead.id())).isEqualTo(company.entityId());
                if (!lead.get("Company").equals(accounts.get(n).get("Name"))) {
                    spelledOtherwise++;
                }
                if (lead.get("Email") instanceof String email && !email.contains("gmail") && !email.contains("outlook")
                        && !email.contains("yahoo")) {
                    assertThat(email.toLowerCase(java.util.Locale.ROOT)).endsWith("@" + company.domain());
                }
            } else {
                assertThat(companies.get(lead.id())).startsWith("company-salesforce-prospect-");
                unknownCompanies.add(companies.get(lead.id()));
            }
        }
        assertThat(leads).hasSize(100);
        assertThat(blank).isEqualTo(4);
        assertThat(atAccounts).isBetween(30, 34);
        assertThat(spelledOtherwise).isGreaterThan(atAccounts / 2);
        // prospects 6m+1 and 6m+2 work at the same unknown company
        assertThat(unknownCompanies.size()).isLessThan(leads.size() - atAccounts - blank);
        assertThat(companies.get(leads.get(1).id())).isEqualTo(companies.get(leads.get(2).id()));
    }

    @Test
    void contactsHaveTheirMailingAddressAndBirthdate() {
        List<SandboxRecord> contacts = ofType(generate(100, "5A"), SObjectSchema.CONTACT);
        Population world = new Population();
        for (int n = 0; n < contacts.size(); n++) {
            Population.Person person = world.account("salesforce", n / 2).people().get(n % 2);
            SandboxRecord contact = contacts.get(n);
            assertThat(contact.get("MailingStreet")).isEqualTo(person.street());
            assertThat(contact.get("MailingState")).isEqualTo(person.state());
            assertThat(contact.get("MailingPostalCode")).isEqualTo(person.postalCode());
            assertThat(contact.get("Birthdate")).isEqualTo(person.birthDate());
        }
        assertThat(contacts).filteredOn(c -> c.get("Birthdate") != null).hasSizeBetween(140, 180);
        assertThat(contacts).filteredOn(c -> c.get("MailingStreet") != null).hasSizeGreaterThan(160);
        assertThat(contacts).allSatisfy(c -> {
            if (c.get("Birthdate") instanceof LocalDate born) {
                assertThat(born).isBetween(LocalDate.of(1955, 1, 1), LocalDate.of(2003, 1, 1));
            }
        });
    }

    @Test
    void aGeneratorSeedingAgainGivesTheSameRecords() {
        // as in a running hub, where one generator seeds every org
        SandboxDataGenerator generator = new SandboxDataGenerator();
        List<Map<String, Object>> first = new ArrayList<>();
        generator.generate(300, "5A", r -> first.add(r.toMap()));
        List<Map<String, Object>> second = new ArrayList<>();
        generator.generate(300, "5A", r -> second.add(r.toMap()));
        // 300 accounts, 600 contacts, 300 opportunities, and their tasks and events
        assertThat(first).hasSizeGreaterThan(1200).isEqualTo(second);
    }
}
