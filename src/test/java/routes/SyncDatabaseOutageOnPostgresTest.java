package routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.model.OnExceptionDefinition;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.TransactionSystemException;

import hub.EmbeddedHubTest;
import hub.HubClient;
import hub.HubSpotPortal;
import hub.PostgresHubTest;
import processors.sync.SyncRun;

/**
 * The database failing under a sync run, deterministically, on PostgreSQL: the run (the 1000 companies of a HubSpot
 * sandbox portal, in pages of 100) meets
 * three failures, each once: page 2's commit fails (a deferred trigger raises a connection failure, SQL state 08006, at
 * COMMIT), page 3 commits but the run is told its commit failed (its outcome unknown to the run), and page 4's write
 * fails mid-transaction (the same trigger, not deferred). Each is retried from the run's last committed checkpoint and
 * shows on its timeline as a retry with its reason; the run completes with exactly the source's records, none failed,
 * none twice, its pages numbered on as committed.
 */
class SyncDatabaseOutageOnPostgresTest extends PostgresHubTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    /** The integration whose third page is told, once, that its commit failed after it committed. */
    private static final AtomicReference<String> FAIL_AFTER_THIRD_COMMIT = new AtomicReference<>();
    /** The context whose sync-inbound route is advised (once: the context is shared). */
    private static CamelContext advised;

    @Autowired
    private JdbcClient jdbc;
    @Autowired
    private CamelContext camel;

    @Test
    void aRunTheDatabaseFailsUnderMidPageAndAtCommitResumesFromItsCheckpointWithEachSourceRecordOnceAndNoneFailed() throws Exception {
        adviseUpsertOnce();
        HubClient hub = hub();
        String key = hub.newTenantKey(EmbeddedHubTest.ADMIN_KEY);
        String integration = new HubSpotPortal(hub, "db-fail").connect(key, Map.of());
        failPageWrites(integration);
        FAIL_AFTER_THIRD_COMMIT.set(integration);

        JsonNode run = hub.runAndWait(key, integration, hub.task(key, integration, "companies", "full"), TIMEOUT);

        assertThat(jdbc.sql("SELECT last_value FROM outage_test_at_commit").query(Long.class).single()).as("page writes seen at commit")
                .isGreaterThanOrEqualTo(2);
        assertThat(jdbc.sql("SELECT last_value FROM outage_test_mid_page").query(Long.class).single()).as("page writes seen mid-page")
                .isGreaterThanOrEqualTo(5);
        assertThat(FAIL_AFTER_THIRD_COMMIT.get()).as("the failure after the third commit was injected").isNull();
        assertThat(run.get("status").asText()).as(run.toString()).isEqualTo("completed");
        assertThat(run.get("recordsFailed").asLong()).isZero();
        assertThat(run.get("recordsCreated").asLong()).isEqualTo(1000);
        List<JsonNode> companies = hub.allShards(key, "c_company");
        Set<String> externalIds = companies.stream().map(s -> s.at("/externalRelationships/0/externalId").asText()).collect(Collectors.toSet());
        assertThat(companies).as("one shard per company").hasSize(1000);
        assertThat(externalIds).hasSize(1000);

        List<JsonNode> steps = new ArrayList<>();
        hub.ok("GET", "/api/tenant/integrations/" + integration + "/executions/" + run.get("id").asText() + "/timeline", key, null)
                .get("steps").forEach(steps::add);
        List<JsonNode> retries = steps.stream().filter(s -> s.get("step").asText().equals("retry")).toList();
        assertThat(retries).as(steps.toString()).hasSize(3);
        assertThat(retries).allSatisfy(r -> {
            assertThat(r.get("data").get("waitingFor").asText()).isEqualTo("database-unavailable");
            assertThat(r.get("data").get("reason").asText()).contains("the database did not answer")
                    .contains("tried again from the run's last committed checkpoint");
        });
        // page 2 failed at commit, page 3 committed before its failure, page 4 failed mid-page: each tried again after the last committed
        assertThat(retries.stream().map(r -> r.get("data").get("page").asInt()).toList()).containsExactly(2, 4, 4);
        List<JsonNode> pages = steps.stream().filter(s -> s.get("step").asText().equals("page")).toList();
        assertThat(pages.stream().map(p -> p.get("data").get("page").asInt()).toList()).as("pages numbered on as committed")
                .isEqualTo(java.util.stream.IntStream.rangeClosed(1, pages.size()).boxed().toList());
        assertThat(pages.size()).isGreaterThanOrEqualTo(5);
        assertThat(pages.stream().mapToLong(p -> p.get("data").get("records").asLong()).sum())
                .isEqualTo(run.get("recordsProcessed").asLong());
        assertThat(pages.stream().mapToLong(p -> p.get("data").get("failed").asLong()).sum()).isZero();
        assertThat(steps.stream().filter(s -> s.get("step").asText().equals("phase")
                && s.get("detail").asText().contains("after waiting (database-unavailable)")).count()).isEqualTo(3);
    }

    /**
     * PostgreSQL raises a connection failure (08006) on the page step a page's transaction inserts last: at COMMIT for
     * the second page write of the integration's runs (a deferred constraint trigger), mid-transaction for the fifth. The
     * sequences count the writes across the rolled-back ones.
     */
    private void failPageWrites(String integration) {
        jdbc.sql("""
                CREATE OR REPLACE FUNCTION outage_test_fail_page() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                  IF NEW.step = 'page' THEN
                    IF EXISTS (SELECT 1 FROM sync_executions e WHERE e.id = NEW.execution_id AND e.integration_id = TG_ARGV[0]) THEN
                      IF nextval(TG_ARGV[1]::regclass) = TG_ARGV[2]::bigint THEN
                        RAISE EXCEPTION 'the connection to the database was lost (test)' USING ERRCODE = '08006';
                      END IF;
                    END IF;
                  END IF;
                  RETURN NULL;
                END $$""").update();
        jdbc.sql("DROP TRIGGER IF EXISTS outage_test_at_commit ON sync_execution_steps").update();
        jdbc.sql("DROP TRIGGER IF EXISTS outage_test_mid_page ON sync_execution_steps").update();
        jdbc.sql("DROP SEQUENCE IF EXISTS outage_test_at_commit").update();
        jdbc.sql("DROP SEQUENCE IF EXISTS outage_test_mid_page").update();
        jdbc.sql("CREATE SEQUENCE outage_test_at_commit").update();
        jdbc.sql("CREATE SEQUENCE outage_test_mid_page").update();
        jdbc.sql("CREATE CONSTRAINT TRIGGER outage_test_at_commit AFTER INSERT ON sync_execution_steps DEFERRABLE INITIALLY DEFERRED"
                + " FOR EACH ROW EXECUTE FUNCTION outage_test_fail_page('" + integration + "', 'outage_test_at_commit', '2')").update();
        jdbc.sql("CREATE TRIGGER outage_test_mid_page AFTER INSERT ON sync_execution_steps"
                + " FOR EACH ROW EXECUTE FUNCTION outage_test_fail_page('" + integration + "', 'outage_test_mid_page', '5')").update();
    }

    /** After upsert-shards: once the named integration's third page has committed, the run is told the commit failed. */
    private void adviseUpsertOnce() throws Exception {
        if (advised == camel) {
            return;
        }
        AdviceWith.adviceWith(camel, "sync-inbound", route -> {
            route.getOriginalRoute().getOutputs().removeIf(OnExceptionDefinition.class::isInstance);
            route.weaveById("upsert-shards").after().process(SyncDatabaseOutageOnPostgresTest::failAfterThirdCommit);
        });
        camel.getRouteController().startRoute("sync-inbound");
        advised = camel;
    }

    private static void failAfterThirdCommit(Exchange exchange) {
        SyncRun run = exchange.getProperty(SyncRun.PROPERTY, SyncRun.class);
        String failing = FAIL_AFTER_THIRD_COMMIT.get();
        if (run != null && run.integration().id().equals(failing) && run.pagesWritten() == 3
                && FAIL_AFTER_THIRD_COMMIT.compareAndSet(failing, null)) {
            throw new TransactionSystemException("JDBC commit failed: the connection was lost (test)");
        }
    }
}
