package providers.webhooks;

/** The outcome of verifying one webhook request. */
public sealed interface Verdict permits Verdict.Verified, Verdict.Handshake, Verdict.Rejected {

    /**
     * Genuine. deliveryId is the provider's delivery/event id for dedupe (fallback: "sha256:" + hex SHA-256
     * of the body). ack, when non-null, is the exact response the provider expects (e.g. the Salesforce SOAP
     * Ack); otherwise the receiver answers with its default 2xx.
     */
    record Verified(String deliveryId, Response ack) implements Verdict {
    }

    /**
     * A handshake to answer at once and not process: response to send; capturedSecret non-null when the
     * handshake delivers the secret (Notion verification_token).
     */
    record Handshake(Response response, String capturedSecret) implements Verdict {

        @Override
        public String toString() {
            return "Handshake[" + response + ", capturedSecret=" + (capturedSecret == null ? "none" : "present") + "]";
        }
    }

    /**
     * status 401 (bad/missing signature, stale or future timestamp beyond tolerance, wrong
     * clientState/token/org, bad JWT) or 400 (the payload is malformed/unusable); reason is short, for logs,
     * secret-free. kind is one of a few fixed words, for metrics. authenticated says whether the request had
     * proved it came from the provider (a genuine delivery the hub cannot use) or not (a forgery, a stray
     * request, or one refused before any proof could be checked): only the former says anything about the
     * registration's health.
     */
    record Rejected(int status, String reason, String kind, boolean authenticated) implements Verdict {

        public static Rejected unauthorized(String reason) {
            return new Rejected(401, reason, "unauthorized", false);
        }

        /** The proof was checked and holds, but the payload cannot be used. */
        public static Rejected malformed(String reason) {
            return new Rejected(400, reason, "malformed", true);
        }

        /** The request cannot be read far enough to check its proof. */
        public static Rejected unreadable(String reason) {
            return new Rejected(400, reason, "unreadable", false);
        }

        public static Rejected missingHeader(String lowerCaseName) {
            return new Rejected(401, "missing header " + lowerCaseName, "missing_header", false);
        }

        static Rejected stale(String reason) {
            return new Rejected(401, reason, "timestamp", false);
        }

        public static Rejected noSecret() {
            return new Rejected(401, "no secret registered for this webhook", "no_secret", false);
        }
    }
}
