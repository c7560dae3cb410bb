package providers.salesforce;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import org.springframework.stereotype.Component;

import providers.webhooks.InboundWebhook;
import providers.webhooks.MalformedWebhookException;
import providers.webhooks.PayloadRedaction;
import providers.webhooks.Response;
import providers.webhooks.Signatures;
import providers.webhooks.Verdict;
import providers.webhooks.VerificationContext;
import providers.webhooks.WebhookScheme;
import providers.webhooks.WebhookVerifier;

/**
 * Salesforce outbound messages are unsigned: the message's OrganizationId must be the registered org
 * (setting {@code organizationId}, 18 chars, or 15 compared on the case-sensitive part). TLS, IP allow-lists
 * and mTLS belong to the receiver's edge. The answer is the SOAP Ack, also for duplicates, or Salesforce
 * retries for up to 24 h.
 */
@Component
public final class SalesforceOutboundVerifier implements WebhookVerifier {

    public static final String ORGANIZATION_ID = "organizationId";
    /** Unsigned; authenticity rests on the organization id (plus TLS and IP allow-listing outside the hub). */
    public static final WebhookScheme SCHEME = WebhookScheme.builder("salesforce_outbound", WebhookScheme.Secret.NONE)
            .required(ORGANIZATION_ID).build();

    static final String ACK_XML = """
            <?xml version="1.0" encoding="UTF-8"?>
            <soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/">
             <soapenv:Body>
              <notificationsResponse xmlns="http://soap.sforce.com/2005/09/outbound">
               <Ack>true</Ack>
              </notificationsResponse>
             </soapenv:Body>
            </soapenv:Envelope>
            """;
    private static final byte[] ACK = ACK_XML.getBytes(StandardCharsets.UTF_8);
    private static final Pattern SESSION_ID = Pattern.compile(
            "(<(?:[A-Za-z_][\\w.-]*:)?SessionId\\b[^>]*(?<!/)>)(.*?)(</(?:[A-Za-z_][\\w.-]*:)?SessionId\\s*>)", Pattern.DOTALL);
    static final String ACK_CONTENT_TYPE = "text/xml; charset=utf-8";

    @Override
    public WebhookScheme scheme() {
        return SCHEME;
    }

    @Override
    public Verdict verify(InboundWebhook request, VerificationContext context) {
        String registered = context.setting(ORGANIZATION_ID);
        if (registered == null) {
            return Verdict.Rejected.unauthorized("organizationId setting missing");
        }
        OutboundMessage message;
        try {
            message = OutboundMessage.parse(request.body());
        } catch (MalformedWebhookException e) {
            return Verdict.Rejected.unreadable(e.getMessage());
        }
        if (!sameOrganization(registered, message.organizationId())) {
            return Verdict.Rejected.unauthorized("OrganizationId is not the registered org");
        }
        List<String> ids = new ArrayList<>(message.notifications().size());
        message.notifications().forEach(n -> ids.add(n.id()));
        ids.sort(null);
        return new Verdict.Verified(String.join(",", ids), ack());
    }

    /** The exact response Salesforce expects; the receiver also sends it for duplicates. */
    static Response ack() {
        return new Response(200, ACK_CONTENT_TYPE, ACK.clone());
    }

    /**
     * 18-char ids are the 15-char case-sensitive id plus a case-insensitive checksum, so the first 15
     * characters decide; two 18-char ids must also agree on the checksum (ignoring case).
     */
    static boolean sameOrganization(String registered, String received) {
        if (!isIdLength(registered) || !isIdLength(received)) {
            return false;
        }
        boolean head = MessageDigest.isEqual(Signatures.utf8(registered.substring(0, 15)),
                Signatures.utf8(received.substring(0, 15)));
        if (registered.length() == 15 || received.length() == 15) {
            return head;
        }
        return head && registered.substring(15).equalsIgnoreCase(received.substring(15));
    }

    private static boolean isIdLength(String id) {
        return id.length() == 15 || id.length() == 18;
    }

    /** An Outbound Message may carry a session id (an API session of the sending user). */
    @Override
    public String redact(String body) {
        return SESSION_ID.matcher(body).replaceAll("$1" + PayloadRedaction.REDACTED + "$3");
    }
}
