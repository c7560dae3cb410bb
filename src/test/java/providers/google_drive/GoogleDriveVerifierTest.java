package providers.google_drive;

import static org.assertj.core.api.Assertions.assertThat;
import static providers.webhooks.Fixtures.*;

import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

import providers.webhooks.InboundWebhook;
import providers.webhooks.Verdict;
import providers.webhooks.VerificationContext;
import providers.webhooks.WebhookVerifier;

class GoogleDriveVerifierTest {

    private static final String TOKEN = "drive-channel-token";
    private static final Map<String, String> SETTINGS = Map.of("channelId", "chan-1");

    private final WebhookVerifier verifier = verifier("google_drive");
    private final VerificationContext context = context(TOKEN, SETTINGS, null, Instant.now());

    private static InboundWebhook drive(String channelId, String token, String state, String number) {
        return post("", "X-Goog-Channel-ID", channelId, "X-Goog-Channel-Token", token, "X-Goog-Resource-State", state,
                "X-Goog-Message-Number", number, "X-Goog-Resource-ID", "ret08u3rv24htgh289g",
                "X-Goog-Resource-URI", "https://www.googleapis.com/drive/v3/changes?pageToken=12");
    }

    @Test
    void theSyncMessageIsAHandshake() {
        Verdict.Handshake handshake = handshake(verifier.verify(drive("chan-1", TOKEN, "sync", "1"), context));
        assertThat(handshake.response().status()).isEqualTo(200);
        assertThat(handshake.response().body()).isEmpty();
    }

    @Test
    void aChangeIsVerifiedWithChannelAndMessageNumber() {
        Verdict verdict = verifier.verify(drive("chan-1", TOKEN, "change", "2"), context);
        assertThat(verified(verdict).deliveryId()).isEqualTo("chan-1:2");
    }

    @Test
    void aWrongTokenOrChannelIsRejected() {
        rejected(verifier.verify(drive("chan-1", "guess", "change", "2"), context), 401);
        rejected(verifier.verify(drive("chan-2", TOKEN, "change", "2"), context), 401);
        rejected(verifier.verify(drive("chan-1", TOKEN, "change", "2"), context(TOKEN, Map.of(), null, Instant.now())),
                401);
    }

    @Test
    void withoutAChannelIdSettingOnlyAChannelTheHubOpenedForThisRegistrationPasses() {
        VerificationContext byUrl = context(TOKEN, Map.of(), "https://hub.example/webhooks/reg-42", Instant.now());
        assertThat(GoogleDriveVerifier.channelPrefix("https://hub.example/webhooks/reg-42/")).isEqualTo("hub-reg-42-");
        assertThat(verified(verifier.verify(drive("hub-reg-42-mx9bk809", TOKEN, "change", "5"), byUrl)).deliveryId())
                .isEqualTo("hub-reg-42-mx9bk809:5");
        rejected(verifier.verify(drive("hub-reg-43-mx9bk809", TOKEN, "change", "5"), byUrl), 401);
        rejected(verifier.verify(drive("hub-reg-42-", TOKEN, "change", "5"), byUrl), 401);
        rejected(verifier.verify(drive("hub-reg-42-mx9bk809", "guess", "change", "5"), byUrl), 401);
    }

    @Test
    void missingHeadersAreNamed() {
        InboundWebhook noToken = post("", "X-Goog-Channel-ID", "chan-1", "X-Goog-Resource-State", "change",
                "X-Goog-Message-Number", "3");
        assertThat(rejected(verifier.verify(noToken, context), 401).reason()).contains("x-goog-channel-token");
    }
}
