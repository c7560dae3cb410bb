package sandbox.salesforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SoqlQueryTest {

    private static final List<SandboxRecord> RECORDS = new ArrayList<>();

    static {
        new SandboxDataGenerator().generate(200, "5A", RECORDS::add);
    }

    private static List<SandboxRecord> run(String soql) {
        SoqlQuery query = SoqlQuery.parse(soql);
        return query.select(ofType(query.type()), false);
    }

    private static List<SandboxRecord> ofType(SObjectSchema type) {
        return RECORDS.stream().filter(r -> r.type() == type).toList();
    }

    private static void assertError(String soql, String errorCode, String messagePart) {
        assertThatThrownBy(() -> SoqlQuery.parse(soql))
                .isInstanceOfSatisfying(SalesforceApiException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(errorCode);
                    assertThat(e.getMessage()).contains(messagePart);
                    assertThat(e.status().value()).isEqualTo(400);
                });
    }

    @Test
    void parsesSelectListTypeAndOrder() {
        SoqlQuery q = SoqlQuery.parse("select id, NAME, SystemModstamp from account "
                + "where SystemModstamp >= 2024-01-01T00:00:00Z order by SystemModstamp asc limit 10");
        assertThat(q.type()).isEqualTo(SObjectSchema.ACCOUNT);
        assertThat(q.fields()).extracting(SObjectField::name).containsExactly("Id", "Name", "SystemModstamp");
        assertThat(q.select(ofType(SObjectSchema.ACCOUNT), false)).hasSize(10);
    }

    @Test
    void filtersOnSystemModstampWithEveryLiteralForm() {
        Instant tenth = RECORDS.get(10).systemModstamp();
        assertThat(run("SELECT Id FROM Account WHERE SystemModstamp > 2025-01-01T00:00:10Z"))
                .allMatch(r -> r.systemModstamp().isAfter(tenth));
        // accounts sit at seconds 0, 4, 8, ... after the seed base
        assertThat(run("SELECT Id FROM Account WHERE SystemModstamp >= 2025-01-01T00:00:00Z")).hasSize(200);
        assertThat(run("SELECT Id FROM Account WHERE SystemModstamp > 2025-01-01T02:00:00+02:00")).hasSize(199);
        assertThat(run("SELECT Id FROM Account WHERE SystemModstamp > 2024-12-31T19:00:00.000-05:00")).hasSize(199);
        assertThat(run("SELECT Id FROM Account WHERE SystemModstamp < 2025-01-01T00:00:04.5Z")).hasSize(2);
        assertThat(run("SELECT Id FROM Account WHERE SystemModstamp <= 2025-01-01T00:00:04+0000")).hasSize(2);
    }

    @Test
    void comparesTextCaseInsensitivelyAndHandlesEscapes() {
        SandboxRecord contact = RECORDS.get(1);
        String last = (String) contact.get("LastName");
        assertThat(run("SELECT Id FROM Contact WHERE LastName = '" + last.toUpperCase().replace("'", "\\'") + "'"))
                .extracting(r -> r.get("LastName")).containsOnly(last);
        assertThat(run("SELECT Id FROM Contact WHERE LastName = 'O\\'Brien'"))
                .isNotEmpty().allMatch(r -> r.get("LastName").equals("O'Brien"));
    }

    @Test
    void supportsIdsDatesNumbersNullsAndIn() {
        SandboxRecord account = RECORDS.get(0);
        assertThat(run("SELECT Id FROM Account WHERE Id = '" + account.id().substring(0, 15) + "'"))
                .containsExactly(account);
        assertThat(run("SELECT Id FROM Contact WHERE AccountId IN ('" + account.id() + "')")).hasSize(2);
        assertThat(run("SELECT Id FROM Opportunity WHERE CloseDate >= 2025-01-01 AND Amount > 250000"))
                .isNotEmpty().allMatch(r -> (Double) r.get("Amount") > 250000);
        assertThat(run("SELECT Id FROM Contact WHERE FirstName = null")).isNotEmpty()
                .allMatch(r -> r.get("FirstName") == null);
        assertThat(run("SELECT Id FROM Account WHERE IsDeleted = false")).hasSize(200);
    }

    @Test
    void ordersWithTiesAndNullsLikeSalesforce() {
        List<SandboxRecord> byName = run("SELECT Id, FirstName FROM Contact ORDER BY FirstName ASC, LastName DESC");
        assertThat(byName.get(0).get("FirstName")).isNull();
        List<SandboxRecord> desc = run("SELECT Id FROM Contact ORDER BY FirstName DESC");
        assertThat(desc.get(desc.size() - 1).get("FirstName")).isNull();
        List<SandboxRecord> paged = run("SELECT Id FROM Account ORDER BY SystemModstamp DESC LIMIT 5 OFFSET 10");
        assertThat(paged).hasSize(5);
        assertThat(paged.get(0).systemModstamp()).isBefore(run("SELECT Id FROM Account ORDER BY SystemModstamp DESC")
                .get(9).systemModstamp());
    }

    @Test
    void reportsSalesforceErrors() {
        assertError("SELECT Foo FROM Account", "INVALID_FIELD", "No such column 'Foo' on entity 'Account'");
        assertError("SELECT Id FROM Foo", "INVALID_TYPE", "sObject type 'Foo' is not supported.");
        assertError("SELECT Id FROM Account WHERE", "MALFORMED_QUERY", "unexpected token");
        assertError("SELECT Id Name FROM Account", "MALFORMED_QUERY", "ERROR at Row:1:Column:11");
        assertError("SELECT Id FROM Account WHERE Name = 'x' OR Name = 'y'", "MALFORMED_QUERY", "'OR'");
        assertError("SELECT Id FROM Account WHERE SystemModstamp > '2024-01-01'", "INVALID_FIELD",
                "must be of type dateTime and should not be enclosed in quotes");
        assertError("SELECT Id FROM Account WHERE Name = 5", "INVALID_FIELD", "should be enclosed in quotes");
        assertError("SELECT Id FROM Account WHERE Id = 'nope'", "INVALID_QUERY_FILTER_OPERATOR", "invalid ID field");
        assertError("SELECT Id FROM Account WHERE Name = 'open", "MALFORMED_QUERY", "unterminated");
        assertError("SELECT Id, id FROM Account", "MALFORMED_QUERY", "duplicate field selected: Id");
        assertError("SELECT Id FROM Account WHERE Description = 'x'", "INVALID_FIELD", "can not be filtered");
        assertError("", "MALFORMED_QUERY", "A query string has to be specified");
    }
}
