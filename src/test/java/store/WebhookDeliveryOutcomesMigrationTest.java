package store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * V38 moves what processing made of a delivery out of its log row: deliveries logged under the earlier schema read the
 * same after the upgrade (processed with their outcome, waiting, duplicate, handshake), the waiting one is still taken for
 * processing and marked once, and a processed one can be replayed, on H2 and on PostgreSQL.
 */
class WebhookDeliveryOutcomesMigrationTest {

    private static final OffsetDateTime RECEIVED = OffsetDateTime.of(2026, 11, 30, 9, 0, 0, 0, ZoneOffset.UTC);

    @Test
    void deliveriesLoggedBeforeTheUpgradeReadTheSameAfterItOnH2() {
        try (UpgradeDatabase database = UpgradeDatabase.h2("deliveries")) {
            upgradeKeepsDeliveries(database);
        }
    }

    @Test
    void deliveriesLoggedBeforeTheUpgradeReadTheSameAfterItOnPostgres() {
        try (UpgradeDatabase database = UpgradeDatabase.postgres("deliveries_upgrade")) {
            upgradeKeepsDeliveries(database);
        }
    }

    private static void upgradeKeepsDeliveries(UpgradeDatabase database) {
        DataSource data = database.data;
        database.migrate("37");
        JdbcTemplate template = new JdbcTemplate(data);
        template.update("INSERT INTO tenants (id, name, created_at) VALUES ('t1', 't1', ?)", RECEIVED);
        template.update("""
                INSERT INTO integration_providers (id, name, category, status, audience, auth_types, entities, default_rate_limit_per_minute,
                  updated_at) VALUES ('p1', 'p1', 'crm', 'active', 'all', '[]', '[]', 100, ?)""", RECEIVED);
        template.update("""
                INSERT INTO integrations (id, tenant_id, provider_id, name, status, sync_enabled, sync_direction, conflict_resolution,
                  settings, created_at, updated_at) VALUES ('i1', 't1', 'p1', 'i1', 'active', TRUE, 'pull', 'newest_wins', '{}', ?, ?)""",
                RECEIVED, RECEIVED);
        template.update("""
                INSERT INTO webhook_registrations (id, tenant_id, integration_id, scheme, events, settings, status, consecutive_failures,
                  total_failures, created_at, updated_at) VALUES ('r1', 't1', 'i1', 'standard', '[]', '{}', 'active', 0, 0, ?, ?)""",
                RECEIVED, RECEIVED);
        String insert = """
                INSERT INTO webhook_deliveries (id, registration_id, tenant_id, delivery_key, received_at, verification, status, http_status,
                  outcome, processed_at, latency_ms) VALUES (?, 'r1', 't1', ?, ?, ?, ?, ?, ?, ?, ?)""";
        template.update(insert, "done", "k1", RECEIVED, "verified", "processed", 202, "Account queued as execution e1",
                RECEIVED.plusSeconds(1), 1000L);
        template.update(insert, "waiting", "k2", RECEIVED.plusSeconds(2), "verified", "accepted", 202, null, null, null);
        template.update(insert, "copy", null, RECEIVED.plusSeconds(3), "verified", "duplicate", 200, null, null, null);
        template.update(insert, "hello", null, RECEIVED.plusSeconds(4), "handshake", "processed", 200, "handshake answered",
                RECEIVED.plusSeconds(4), 0L);

        database.migrate("latest");

        WebhookDeliveryStore deliveries = new WebhookDeliveryStore(JdbcClient.create(data), template, new ObjectMapper());
        WebhookDelivery done = deliveries.find("t1", "done").orElseThrow();
        assertThat(done.status()).isEqualTo(WebhookDelivery.Status.PROCESSED);
        assertThat(done.outcome()).isEqualTo("Account queued as execution e1");
        assertThat(done.processedAt()).isEqualTo(RECEIVED.plusSeconds(1));
        assertThat(done.latencyMs()).isEqualTo(1000L);
        assertThat(deliveries.find("t1", "waiting").orElseThrow().status()).isEqualTo(WebhookDelivery.Status.ACCEPTED);
        assertThat(deliveries.find("t1", "copy").orElseThrow().status()).isEqualTo(WebhookDelivery.Status.DUPLICATE);
        WebhookDelivery hello = deliveries.find("t1", "hello").orElseThrow();
        assertThat(hello.status()).isEqualTo(WebhookDelivery.Status.PROCESSED);
        assertThat(hello.outcome()).isEqualTo("handshake answered");
        assertThat(deliveries.find("t2", "done")).isEmpty();
        assertThat(deliveries.list("t1", null, WebhookDelivery.Status.PROCESSED, null, 10).items()).extracting(WebhookDelivery::id)
                .containsExactly("hello", "done");

        // only the waiting delivery is still to be processed, and it is marked once
        assertThat(deliveries.accepted(List.of("done", "waiting", "copy", "hello"))).extracting(WebhookDelivery::id).containsExactly("waiting");
        assertThat(deliveries.unprocessedBefore(RECEIVED.plusHours(1), 10)).containsExactly("waiting");
        List<WebhookDeliveryStore.Processed> marks = List.of(new WebhookDeliveryStore.Processed("waiting", "no events", 5L),
                new WebhookDeliveryStore.Processed("done", "again", 5L), new WebhookDeliveryStore.Processed("copy", "again", 5L));
        assertThat(deliveries.markProcessed(marks, RECEIVED.plusSeconds(5))).isEqualTo(1);
        assertThat(deliveries.markProcessed(marks, RECEIVED.plusSeconds(6))).isZero();
        assertThat(deliveries.find("t1", "waiting").orElseThrow().outcome()).isEqualTo("no events");
        assertThat(deliveries.find("t1", "done").orElseThrow().outcome()).isEqualTo("Account queued as execution e1");

        // a replay: the processed delivery waits again, once; a handshake and another tenant's request are refused
        assertThat(deliveries.reaccept("t2", "done")).isFalse();
        assertThat(deliveries.reaccept("t1", "hello")).isFalse();
        assertThat(deliveries.reaccept("t1", "done")).isTrue();
        assertThat(deliveries.reaccept("t1", "done")).isFalse();
        WebhookDelivery replayed = deliveries.find("t1", "done").orElseThrow();
        assertThat(replayed.status()).isEqualTo(WebhookDelivery.Status.ACCEPTED);
        assertThat(replayed.outcome()).isNull();
        assertThat(replayed.processedAt()).isNull();
        assertThat(deliveries.accepted(List.of("done"))).hasSize(1);

        // the retention purge takes the outcomes with their deliveries
        assertThat(deliveries.purgeBefore(RECEIVED.plusHours(1))).isEqualTo(4);
        assertThat(template.queryForObject("SELECT COUNT(*) FROM webhook_delivery_outcomes", Integer.class)).isZero();
    }
}
