package processors.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import hub.EmbeddedHubTest;
import hub.HubClient;
import processors.webhooks.WebhookTestSupport.Reply;

/**
 * Deliveries arriving together are committed together (group commit), and each is answered for its own commit: a 2xx
 * only for a delivery the log holds when the answer leaves, and when a shared commit fails every request that waited
 * on it is refused 503 (the provider sends it again), none acknowledged, none left half stored.
 */
class WebhookGroupCommitTest extends EmbeddedHubTest {

    private static final int CONCURRENT = 48;

    @Autowired
    JdbcClient jdbc;

    private ExecutorService senders;
    private String url;
    private String secret;

    @BeforeEach
    void registration() {
        HubClient hub = hub();
        String key = hub.newTenantKey(ADMIN_KEY);
        String integration = hub.connectedSalesforce(key, "gc-" + UUID.randomUUID().toString().substring(0, 8), Map.of());
        JsonNode registration = hub.ok("POST", "/api/tenant/integrations/" + integration + "/webhooks", key,
                Map.of("scheme", "standard_webhooks", "events", List.of("company.*")));
        url = registration.get("url").asText();
        secret = registration.get("secret").asText();
        senders = Executors.newFixedThreadPool(CONCURRENT);
    }

    @AfterEach
    void stopSenders() {
        senders.shutdownNow();
    }

    @Test
    void everyDeliveryAcknowledgedTogetherIsInTheLogWhenItsAnswerArrives() throws Exception {
        List<Future<String>> answers = new ArrayList<>();
        for (int i = 0; i < CONCURRENT; i++) {
            String webhookId = "msg_gc_" + UUID.randomUUID();
            answers.add(senders.submit(() -> {
                Reply reply = WebhookTestSupport.standard(url, secret, webhookId, System.currentTimeMillis() / 1000, "company.updated", webhookId);
                assertThat(reply.status()).as(reply.body()).isEqualTo(202);
                String deliveryId = reply.json().get("deliveryId").asText();
                // read the moment the answer is in: the row was committed before it was sent
                assertThat(jdbc.sql("SELECT delivery_key FROM webhook_deliveries WHERE id = ?").param(deliveryId).query(String.class).optional())
                        .as("delivery %s acknowledged", deliveryId).contains(webhookId);
                return deliveryId;
            }));
        }
        List<String> ids = new ArrayList<>();
        for (Future<String> answer : answers) {
            ids.add(answer.get());
        }
        assertThat(ids).doesNotHaveDuplicates().hasSize(CONCURRENT);
    }

    @Test
    void aFailedGroupCommitRefusesEveryWaitingRequestAndStoresNoneOfThem() throws Exception {
        List<String> webhookIds = new ArrayList<>();
        for (int i = 0; i < CONCURRENT; i++) {
            webhookIds.add("msg_gcfail_" + UUID.randomUUID());
        }
        long timestamp = System.currentTimeMillis() / 1000;
        // the payload table gone: each batch's transaction fails after its delivery rows were inserted, and rolls back
        jdbc.sql("ALTER TABLE webhook_delivery_payloads RENAME TO webhook_delivery_payloads_away").update();
        List<Reply> refused;
        try {
            refused = sendAll(webhookIds, timestamp);
        } finally {
            jdbc.sql("ALTER TABLE webhook_delivery_payloads_away RENAME TO webhook_delivery_payloads").update();
        }
        for (Reply reply : refused) {
            assertThat(reply.status()).as(reply.body()).isEqualTo(503);
            assertThat(reply.json().get("reason").asText()).contains("could not be stored");
        }
        assertThat(jdbc.sql("SELECT count(*) FROM webhook_deliveries WHERE delivery_key IN (:keys)").param("keys", webhookIds)
                .query(Integer.class).single()).isZero();

        // what the provider does next: the same deliveries again, now stored and accepted (not taken for duplicates)
        for (Reply reply : sendAll(webhookIds, timestamp)) {
            assertThat(reply.status()).as(reply.body()).isEqualTo(202);
        }
        assertThat(jdbc.sql("SELECT count(*) FROM webhook_deliveries WHERE delivery_key IN (:keys) AND status = 'accepted' OR "
                        + "delivery_key IN (:keys) AND status = 'processed'").param("keys", webhookIds).query(Integer.class).single())
                .isEqualTo(CONCURRENT);
    }

    private List<Reply> sendAll(List<String> webhookIds, long timestamp) throws Exception {
        List<Future<Reply>> answers = new ArrayList<>();
        for (String webhookId : webhookIds) {
            answers.add(senders.submit(() -> WebhookTestSupport.standard(url, secret, webhookId, timestamp, "company.updated", webhookId)));
        }
        List<Reply> replies = new ArrayList<>();
        for (Future<Reply> answer : answers) {
            replies.add(answer.get());
        }
        return replies;
    }
}
