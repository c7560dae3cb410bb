package sandbox.salesforce;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SandboxDataGeneratorTest {

    private static List<SandboxRecord> generate(int accounts, String orgCode) {
        List<SandboxRecord> out = new ArrayList<>();
        new SandboxDataGenerator().generate(accounts, orgCode, out::add);
        return out;
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
            left.remove("Id");
            right.remove("Id");
            left.remove("AccountId");
            right.remove("AccountId");
            assertThat(right).isEqualTo(left);
        }
    }

    @Test
    void seedsTwoContactsAndOneOpportunityPerAccountWithLinkedIds() {
        List<SandboxRecord> records = generate(100, "5A");
        assertThat(records).hasSize(400);
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
        }
        assertThat(records.get(0).systemModstamp()).isEqualTo(SandboxDataGenerator.SEED_BASE);
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
        assertThat(count[0]).isEqualTo(40_000);
        assertThat(millis).isLessThan(2_000);
    }
}
