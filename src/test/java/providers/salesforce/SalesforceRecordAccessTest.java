package providers.salesforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import hub.EmbeddedHubTest;
import providers.ConflictProviderException;
import providers.ConnectionContext;
import providers.PermanentProviderException;
import providers.ProviderException;
import sandbox.salesforce.SalesforceIds;
import sandbox.salesforce.SalesforceOAuthController;
import sandbox.salesforce.SandboxOrgs;

/**
 * The adapter's single-record calls against the hub's Salesforce sandbox over HTTP: fetching one
 * record, and updates made conditional on the SystemModstamp the hub last read.
 */
class SalesforceRecordAccessTest extends EmbeddedHubTest {

    private static final Set<String> FIELDS = Set.of("Name", "Phone", "SystemModstamp");

    @Autowired
    private SalesforceAdapter adapter;

    private ConnectionContext connection;

    @BeforeEach
    void connect() {
        connection = new ConnectionContext("adapter-records", "adapter-records", SalesforceAdapter.PROVIDER_ID, Map.of(
                SalesforceAdapter.CLIENT_ID, SalesforceOAuthController.CLIENT_ID,
                SalesforceAdapter.CLIENT_SECRET, SalesforceOAuthController.CLIENT_SECRET,
                SalesforceAdapter.USERNAME, "admin+adapter-records@sandbox.example",
                SalesforceAdapter.PASSWORD, SandboxOrgs.PASSWORD,
                SalesforceAdapter.LOGIN_URL, "http://localhost:" + port + "/sandbox/salesforce"));
    }

    @AfterEach
    void disconnect() {
        adapter.disconnect(connection);
    }

    @Test
    void fetchesTheAskedFieldsAndNothingForAnUnknownOrDeletedRecord() {
        String id = adapter.createRecord(connection, "Account", Map.of("Name", "Fetched Ltd", "Phone", "555-0100"));

        Map<String, Object> record = adapter.fetchRecord(connection, "Account", id, FIELDS).orElseThrow();
        assertThat(record).containsOnlyKeys(FIELDS).containsEntry("Name", "Fetched Ltd").containsEntry("Phone", "555-0100");
        assertThat(Soql.parseDateTime((String) record.get("SystemModstamp"))).isBefore(Instant.now().plusSeconds(1));

        String unknown = SalesforceIds.of("001", id.substring(3, 5), 999_999);
        assertThat(adapter.fetchRecord(connection, "Account", unknown, FIELDS)).isEmpty();
        adapter.deleteRecord(connection, "Account", id);
        assertThat(adapter.fetchRecord(connection, "Account", id, FIELDS)).isEmpty();
        assertThat(adapter.health(connection).status()).isEqualTo("ok");
    }

    @Test
    void conditionalUpdateAppliesOnTheCurrentVersionAndConflictsAfterAChangeInALaterSecond() {
        String id = adapter.createRecord(connection, "Account", Map.of("Name", "Versioned Inc"));
        String read = version(id);
        adapter.updateRecord(connection, "Account", id, Map.of("Phone", "1"), read);
        assertThat(phone(id)).isEqualTo("1");

        String current = version(id);
        assertThat(Soql.parseDateTime(current)).isAfter(Soql.parseDateTime(read));
        Instant currentSecond = Soql.parseDateTime(current).truncatedTo(ChronoUnit.SECONDS);
        await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(20))
                .until(() -> Instant.now().truncatedTo(ChronoUnit.SECONDS).isAfter(currentSecond));
        adapter.updateRecord(connection, "Account", id, Map.of("Phone", "2"), null);

        assertThatThrownBy(() -> adapter.updateRecord(connection, "Account", id, Map.of("Phone", "3"), current))
                .isInstanceOfSatisfying(ConflictProviderException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ProviderException.Kind.CONFLICT);
                    assertThat(e.status()).isEqualTo(412);
                    assertThat(e.getMessage()).contains("PRECONDITION_FAILED").contains("has been modified since");
                });
        assertThat(phone(id)).isEqualTo("2");
        assertThat(adapter.health(connection).status()).isEqualTo("ok");

        // the same version written as ISO-8601 instead of Salesforce's form
        String iso = Soql.parseDateTime(version(id)).toString();
        adapter.updateRecord(connection, "Account", id, Map.of("Phone", "4"), iso);
        assertThat(phone(id)).isEqualTo("4");
    }

    @Test
    void validationErrorsArePermanentWithSalesforcesReason() {
        String id = adapter.createRecord(connection, "Account", Map.of("Name", "Valid Co"));

        assertThatThrownBy(() -> adapter.updateRecord(connection, "Account", id, Map.of("Name", " "), version(id)))
                .isExactlyInstanceOf(PermanentProviderException.class)
                .hasMessageContaining("REQUIRED_FIELD_MISSING: Required fields are missing: [Name]")
                .satisfies(e -> assertThat(((ProviderException) e).status()).isEqualTo(400));
        assertThatThrownBy(() -> adapter.updateRecord(connection, "Account", id, Map.of("Name", "x".repeat(256)), version(id)))
                .isExactlyInstanceOf(PermanentProviderException.class)
                .hasMessageContaining("STRING_TOO_LONG");
        assertThatThrownBy(() -> adapter.updateRecord(connection, "Account", id, Map.of("Colour__c", "red"), null))
                .isExactlyInstanceOf(PermanentProviderException.class)
                .hasMessageContaining("INVALID_FIELD").hasMessageContaining("Colour__c");
        assertThatThrownBy(() -> adapter.updateRecord(connection, "Account", "../limits", Map.of("Name", "x"), version(id)))
                .isExactlyInstanceOf(PermanentProviderException.class);

        assertThat(adapter.fetchRecord(connection, "Account", id, Set.of("Name")).orElseThrow()).containsEntry("Name", "Valid Co");
    }

    private String version(String id) {
        return (String) adapter.fetchRecord(connection, "Account", id, FIELDS).orElseThrow().get("SystemModstamp");
    }

    private Object phone(String id) {
        return adapter.fetchRecord(connection, "Account", id, FIELDS).orElseThrow().get("Phone");
    }
}
