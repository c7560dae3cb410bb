package providers.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static providers.webhooks.Fixtures.SCHEMES;
import static providers.webhooks.Fixtures.scheme;
import static providers.webhooks.Fixtures.utf8;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** Secrets providers put inside payloads do not reach the delivery log; everything else is kept as sent. */
class PayloadRedactionTest {

    private static final String SECRET = "s3cr3t-client-state-0123456789";

    @Test
    void graphClientStateAndValidationTokensAreRedacted() {
        String body = "{\"value\":[{\"subscriptionId\":\"sub-1\",\"clientState\":\"" + SECRET + "\",\"changeType\":\"updated\","
                + "\"resource\":\"Users/1/Messages/2\"},{\"subscriptionId\":\"sub-1\",\"clientState\":\"" + SECRET + "\","
                + "\"lifecycleEvent\":\"reauthorizationRequired\"}],\"validationTokens\":[\"eyJ.token.sig\"]}";

        String logged = SCHEMES.redact(scheme("microsoft_graph"), utf8(body));

        assertThat(logged).doesNotContain(SECRET).doesNotContain("eyJ.token.sig");
        assertThat(Json.tree(utf8(logged)).at("/value/0/clientState").asText()).isEqualTo(PayloadRedaction.REDACTED);
        assertThat(Json.tree(utf8(logged)).at("/value/1/clientState").asText()).isEqualTo(PayloadRedaction.REDACTED);
        assertThat(Json.tree(utf8(logged)).at("/value/0/resource").asText()).isEqualTo("Users/1/Messages/2");
    }

    @Test
    void slackVerificationTokensAreRedactedInJsonAndForms() {
        String json = "{\"token\":\"" + SECRET + "\",\"team_id\":\"T1\",\"event\":{\"type\":\"message\",\"text\":\"hi\"},\"event_id\":\"Ev1\"}";
        String logged = SCHEMES.redact(scheme("slack"), utf8(json));
        assertThat(logged).doesNotContain(SECRET).contains("\"event_id\":\"Ev1\"", "\"text\":\"hi\"");

        String command = "token=" + SECRET + "&team_id=T1&command=%2Fweather&text=94070";
        assertThat(SCHEMES.redact(scheme("slack"), utf8(command)))
                .isEqualTo("token=%5Bredacted%5D&team_id=T1&command=%2Fweather&text=94070");

        String interactive = "payload=" + java.net.URLEncoder.encode("{\"type\":\"block_actions\",\"token\":\"" + SECRET + "\"}",
                StandardCharsets.UTF_8);
        String loggedForm = SCHEMES.redact(scheme("slack"), utf8(interactive));
        assertThat(URLDecoder.decode(loggedForm, StandardCharsets.UTF_8)).doesNotContain(SECRET).contains("block_actions");
    }

    @Test
    void aSalesforceSessionIdIsRedactedAndANilOneKept() {
        String soap = "<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\"><soapenv:Body>"
                + "<notifications xmlns=\"http://soap.sforce.com/2005/09/outbound\"><OrganizationId>00D000000000001AAA</OrganizationId>"
                + "<SessionId>00D000000000001!AQ0AQ" + SECRET + "</SessionId><Notification><Id>04l1</Id></Notification>"
                + "</notifications></soapenv:Body></soapenv:Envelope>";
        String logged = SCHEMES.redact(scheme("salesforce_outbound"), utf8(soap));
        assertThat(logged).doesNotContain(SECRET).contains("<SessionId>[redacted]</SessionId>", "<Id>04l1</Id>");

        String nil = "<n:SessionId xsi:nil=\"true\"/><n:SessionId>abc</n:SessionId>";
        assertThat(SCHEMES.redact(scheme("salesforce_outbound"), utf8(nil)))
                .isEqualTo("<n:SessionId xsi:nil=\"true\"/><n:SessionId>[redacted]</n:SessionId>");
    }

    @Test
    void otherPayloadsAreKeptExactlyAsSent() {
        String body = "{ \"action\": \"opened\",  \"token\": \"not-a-secret-here\" }";
        assertThat(SCHEMES.redact(scheme("github"), utf8(body))).isEqualTo(body);
        String graphWithoutSecrets = "{\"value\": [ {\"id\": 1} ]}";
        assertThat(SCHEMES.redact(scheme("microsoft_graph"), utf8(graphWithoutSecrets))).isEqualTo(graphWithoutSecrets);
    }
}
