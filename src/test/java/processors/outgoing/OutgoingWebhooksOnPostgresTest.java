package processors.outgoing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import hub.EmbeddedHubTest;
import hub.HubClient;
import hub.PostgresHubTest;

/**
 * Outgoing webhooks on PostgreSQL with two instances on one database: messages one instance wrote are sent by the other
 * while the first sends nothing, and with both sending (claims with FOR UPDATE SKIP LOCKED and a lease) every message
 * goes exactly once.
 */
class OutgoingWebhooksOnPostgresTest extends PostgresHubTest implements OutgoingWebhookSupport {

    @Autowired
    ApplicationContext context;
    @Autowired
    CamelContext camel;
    @Autowired
    JdbcClient jdbc;

    @Override
    public ApplicationContext context() {
        return context;
    }

    @Test
    void twoInstancesShareTheSendingAndSendEveryMessageOnce() throws Exception {
        HubClient.Tenant tenant = hub().newTenant(EmbeddedHubTest.ADMIN_KEY);
        Endpoint endpoint = endpoint(tenant.key(), List.of("sync.*"), Map.of());
        List<String> sending = List.of("webhooks-out-timer", "webhooks-out-dispatch", "webhooks-out-send");
        try (ConfigurableApplicationContext second = secondInstance()) {
            for (String route : sending) {
                camel.getRouteController().stopRoute(route);
            }
            try {
                for (int i = 0; i < 40; i++) {
                    emit(tenant.id(), "sync.completed", Map.of("integrationId", "i" + i));
                }
                // written here, sent by the other instance
                List<JsonNode> got = awaitReceived(endpoint.receiver(), 40);
                got.forEach(item -> assertThat(item.get("status").asInt()).isEqualTo(200));
            } finally {
                for (String route : List.of("webhooks-out-send", "webhooks-out-dispatch", "webhooks-out-timer")) {
                    camel.getRouteController().startRoute(route);
                }
            }
            for (int i = 0; i < 200; i++) {
                emit(tenant.id(), "sync.failed", Map.of("integrationId", "i" + i));
            }
            awaitReceived(endpoint.receiver(), 240);
            await().during(Duration.ofSeconds(2)).atMost(WAIT).until(() -> received(endpoint.receiver()).size() == 240);
        }
        Map<String, Integer> times = new HashMap<>();
        for (JsonNode item : received(endpoint.receiver())) {
            OutgoingWebhookSupport.verify(endpoint.secret(), item);
            times.merge(item.at("/headers/webhook-id").asText(), 1, Integer::sum);
        }
        assertThat(times).hasSize(240);
        assertThat(times.values()).containsOnly(1);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM webhook_attempts WHERE endpoint_id = ?").param(endpoint.id()).query(Long.class).single())
                .isEqualTo(240);
        assertThat(context.getBean(store.OutgoingWebhookStore.class).countPending(tenant.id())).isZero();
    }
}
