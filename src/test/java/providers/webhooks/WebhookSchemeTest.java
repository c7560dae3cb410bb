package providers.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;

import org.junit.jupiter.api.Test;

class WebhookSchemeTest {

    @Test
    void idsAreLowerCaseAndRoundTrip() {
        for (WebhookScheme scheme : WebhookScheme.values()) {
            assertThat(scheme.id()).isEqualTo(scheme.name().toLowerCase());
            assertThat(WebhookScheme.of(scheme.id())).contains(scheme);
        }
        assertThat(WebhookScheme.of("MICROSOFT_GRAPH")).contains(WebhookScheme.MICROSOFT_GRAPH);
        assertThat(WebhookScheme.of("nope")).isEmpty();
        assertThat(WebhookScheme.of(null)).isEmpty();
    }

    @Test
    void theHubChoosesSecretsOnlyWhereTheProviderLetsIt() {
        assertThat(WebhookScheme.values()).filteredOn(WebhookScheme::hubGeneratesSecret).containsExactlyInAnyOrder(
                WebhookScheme.GITHUB, WebhookScheme.MICROSOFT_GRAPH, WebhookScheme.GOOGLE_DRIVE,
                WebhookScheme.STANDARD_WEBHOOKS);
        assertThatThrownBy(WebhookScheme.SLACK::newSecret).isInstanceOf(UnsupportedOperationException.class);
        String clientState = WebhookScheme.MICROSOFT_GRAPH.newSecret();
        assertThat(Base64.getUrlDecoder().decode(clientState)).hasSize(32);
        assertThat(clientState.length()).isLessThanOrEqualTo(255);
    }

    @Test
    void settingsNameWhatEachSchemeNeeds() {
        assertThat(WebhookScheme.GOOGLE_PUBSUB.settingNames())
                .containsExactlyInAnyOrder("audience", "serviceAccountEmail", "issuer", "jwksUri");
        assertThat(WebhookScheme.GOOGLE_PUBSUB.requiredSettingNames()).containsExactly("serviceAccountEmail");
        assertThat(WebhookScheme.GOOGLE_DRIVE.requiredSettingNames()).containsExactly("channelId");
        assertThat(WebhookScheme.SALESFORCE_OUTBOUND.requiredSettingNames()).containsExactly("organizationId");
        assertThat(WebhookScheme.GITHUB.settingNames()).isEmpty();
        for (WebhookScheme scheme : WebhookScheme.values()) {
            assertThat(scheme.settingNames()).containsAll(scheme.requiredSettingNames());
        }
    }
}
