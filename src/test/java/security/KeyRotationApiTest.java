package security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;

import hub.EmbeddedHubTest;
import hub.HubClient.Response;
import hub.HubClient;

/** POST /api/admin/keys/rotate on the embedded hub, whose key-encryption keyset lives in its key file. */
class KeyRotationApiTest extends EmbeddedHubTest {

    @Autowired
    JdbcClient jdbc;
    @Value("${hub.crypto.keyset-file}")
    String keysetFile;

    @Test
    void onlyTheAdminKeyRotates() {
        HubClient hub = hub();
        assertThat(hub.call("POST", "/api/admin/keys/rotate", null, null).status()).isEqualTo(401);
        Response refused = hub.call("POST", "/api/admin/keys/rotate", hub.newTenantKey(ADMIN_KEY), null);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.body().get("message").asText()).contains("admin key");
    }

    @Test
    void rotationRewrapsTenantKeysetsOnlineAndIsAudited() {
        HubClient hub = hub();
        HubClient.Tenant tenant = hub.newTenant(ADMIN_KEY);
        String integration = hub.connectedSalesforce(tenant.key(), "kek-" + UUID.randomUUID().toString().substring(0, 6), Map.of());
        String secretName = hub.ok("GET", "/api/tenant/integrations/" + integration + "/connection", tenant.key(), null)
                .get("secretName").asText();
        String sealedBefore = ciphertext(secretName);
        String wrappedBefore = wrappedKeyset(tenant.id());

        JsonNode rotated = hub.ok("POST", "/api/admin/keys/rotate", ADMIN_KEY, null);

        long primaryKeyId = rotated.get("primaryKeyId").asLong();
        assertThat(rotated.get("rewrapped").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(rotated.get("rotatedAt").asText()).isNotBlank();
        assertThat(ciphertext(secretName)).isEqualTo(sealedBefore);
        assertThat(wrappedKeyset(tenant.id())).isNotEqualTo(wrappedBefore);
        assertThat(jdbc.sql("SELECT kek_key_id FROM tenant_data_keys WHERE tenant_id = ?").param(tenant.id()).query(Long.class).single())
                .isEqualTo(primaryKeyId);
        List<String> audited = jdbc.sql("SELECT actor || ' ' || detail FROM audit_log WHERE action = 'kek.rotate' AND target_id = ?")
                .param(Long.toString(primaryKeyId)).query(String.class).list();
        assertThat(audited).singleElement().asString().startsWith("admin re-wrapped ");

        JsonNode test = hub.ok("POST", "/api/tenant/integrations/" + integration + "/connection/test", tenant.key(), null);
        assertThat(test.get("ok").asBoolean()).as(test.toString()).isTrue();
        KeysetSource restartedKek = KeysetSource.load("", keysetFile);
        LocalCredentialVault restarted = new LocalCredentialVault(jdbc, new ObjectMapper(), restartedKek, new DataKeysets(jdbc, restartedKek));
        assertThat(restarted.get(secretName)).hasValueSatisfying(credentials -> assertThat(credentials).isNotEmpty());
    }

    private String ciphertext(String secretName) {
        return jdbc.sql("SELECT ciphertext FROM vault_secrets WHERE name = ?").param(secretName).query(String.class).single();
    }

    private String wrappedKeyset(String tenantId) {
        return jdbc.sql("SELECT wrapped_keyset FROM tenant_data_keys WHERE tenant_id = ?").param(tenantId).query(String.class).single();
    }
}
