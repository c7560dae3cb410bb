package providers.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static providers.webhooks.Fixtures.SCHEMES;
import static providers.webhooks.Fixtures.scheme;

import java.time.Duration;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;

class WebhookSchemeTest {

    @Test
    void idsAreLowerCaseAndRoundTrip() {
        for (WebhookScheme scheme : SCHEMES.all()) {
            assertThat(scheme.id()).isEqualTo(scheme.id().toLowerCase()).matches("[a-z][a-z0-9_]*");
            assertThat(SCHEMES.of(scheme.id())).contains(scheme);
        }
        assertThat(SCHEMES.of("MICROSOFT_GRAPH")).contains(scheme("microsoft_graph"));
        assertThat(SCHEMES.of("nope")).isEmpty();
        assertThat(SCHEMES.of(null)).isEmpty();
    }

    @Test
    void theHubChoosesSecretsOnlyWhereTheProviderLetsIt() {
        assertThat(SCHEMES.all()).filteredOn(WebhookScheme::hubGeneratesSecret).containsExactlyInAnyOrder(
                scheme("github"), scheme("microsoft_graph"), scheme("google_drive"),
                scheme("standard_webhooks"));
        assertThatThrownBy(scheme("slack")::newSecret).isInstanceOf(UnsupportedOperationException.class);
        String clientState = scheme("microsoft_graph").newSecret();
        assertThat(Base64.getUrlDecoder().decode(clientState)).hasSize(32);
        assertThat(clientState.length()).isLessThanOrEqualTo(255);
    }

    @Test
    void settingsNameWhatEachSchemeNeeds() {
        assertThat(scheme("google_pubsub").settingNames())
                .containsExactlyInAnyOrder("audience", "serviceAccountEmail", "issuer", "jwksUri");
        assertThat(scheme("google_pubsub").requiredSettingNames()).containsExactly("serviceAccountEmail");
        // optional: channels the hub opens itself are named after the registration (GoogleDriveVerifier.channelPrefix)
        assertThat(scheme("google_drive").settingNames()).containsExactly("channelId");
        assertThat(scheme("google_drive").requiredSettingNames()).isEmpty();
        assertThat(scheme("salesforce_outbound").requiredSettingNames()).containsExactly("organizationId");
        assertThat(scheme("github").settingNames()).isEmpty();
        for (WebhookScheme scheme : SCHEMES.all()) {
            assertThat(scheme.settingNames()).containsAll(scheme.requiredSettingNames());
        }
    }

    @Test
    void schemesAreWhatTheBeansDeclareIncludingOnesAddedOutsideTheHub() {
        // providers.acme exists only in the tests: found by the same component scan, listed nowhere
        assertThat(SCHEMES.ids()).contains("acme", "github", "standard_webhooks");
        assertThat(scheme("acme").requiredSettingNames()).containsExactly("account");
        assertThat(scheme("hubspot").settingProblem("allowLegacySignatures", "yes")).isEqualTo("must be true or false");
        assertThat(scheme("hubspot").settingProblem("allowLegacySignatures", "true")).isNull();
        assertThat(scheme("google_pubsub").fetchedUrlSettingNames()).containsExactly("jwksUri");
        assertThat(scheme("microsoft_graph").dedupeWindow()).contains(Duration.ofMinutes(10));
        assertThat(scheme("github").dedupeWindow()).isEmpty();
        assertThat(scheme("standard_webhooks").newSecret()).startsWith(StandardWebhooks.SECRET_PREFIX);
    }

    @Test
    void everySchemeNeedsOneVerifierAndOneParser() {
        WebhookVerifier github = SCHEMES.verifier(scheme("github"));
        WebhookEventParser githubParser = SCHEMES.parser(scheme("github"));
        WebhookEventParser slackParser = SCHEMES.parser(scheme("slack"));
        assertThatThrownBy(() -> new WebhookSchemes(List.of(github), List.of(githubParser, slackParser)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("slack");
        assertThatThrownBy(() -> new WebhookSchemes(List.of(github, github), List.of(githubParser)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("two webhook verifiers for scheme github");
        assertThatThrownBy(() -> WebhookScheme.builder("Not An Id", WebhookScheme.Secret.NONE))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
