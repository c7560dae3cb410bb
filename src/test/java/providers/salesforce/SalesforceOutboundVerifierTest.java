package providers.salesforce;

import static org.assertj.core.api.Assertions.assertThat;
import static providers.webhooks.Fixtures.*;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import providers.webhooks.InboundWebhook;
import providers.webhooks.MalformedWebhookException;
import providers.webhooks.Verdict;
import providers.webhooks.VerificationContext;
import providers.webhooks.WebhookVerifier;

public class SalesforceOutboundVerifierTest {

    static final String ORG = "00D5e000000KQ2eEAG";
    // the captured shape from SALESFORCE_WIRE.md section 9, with a second notification
    public static final String ENVELOPE = """
            <?xml version="1.0" encoding="UTF-8"?>
            <soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
             <soapenv:Body>
              <notifications xmlns="http://soap.sforce.com/2005/09/outbound">
               <OrganizationId>00D5e000000KQ2eEAG</OrganizationId>
               <ActionId>04k5e000000CaRkAAK</ActionId>
               <SessionId xsi:nil="true"/>
               <EnterpriseUrl>https://yourInstance.my.salesforce.com/services/Soap/c/59.0/00D5e000000KQ2e</EnterpriseUrl>
               <PartnerUrl>https://yourInstance.my.salesforce.com/services/Soap/u/59.0/00D5e000000KQ2e</PartnerUrl>
               <Notification>
                <Id>04l5e00000Gx7QzAAJ</Id>
                <sObject xsi:type="sf:Account" xmlns:sf="urn:sobject.enterprise.soap.sforce.com">
                 <sf:Id>0015e00000ZkM3hAAF</sf:Id>
                 <sf:LastModifiedDate>2024-01-01T00:00:00.000Z</sf:LastModifiedDate>
                 <sf:Name>Acme Corporation</sf:Name>
                </sObject>
               </Notification>
               <Notification>
                <Id>04l5e00000Gx7QaAAJ</Id>
                <sObject xsi:type="sf:Task" xmlns:sf="urn:sobject.enterprise.soap.sforce.com">
                 <sf:Id>00T5e00000AbCdEAAV</sf:Id>
                 <sf:Subject>Call</sf:Subject>
                </sObject>
               </Notification>
              </notifications>
             </soapenv:Body>
            </soapenv:Envelope>
            """;
    private static final String ACK = """
            <?xml version="1.0" encoding="UTF-8"?>
            <soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/">
             <soapenv:Body>
              <notificationsResponse xmlns="http://soap.sforce.com/2005/09/outbound">
               <Ack>true</Ack>
              </notificationsResponse>
             </soapenv:Body>
            </soapenv:Envelope>
            """;

    private final WebhookVerifier verifier = verifier("salesforce_outbound");

    private static VerificationContext org(String organizationId) {
        return context(null, Map.of("organizationId", organizationId), null, Instant.now());
    }

    private static InboundWebhook soap(String body) {
        return post(body, "Content-Type", "text/xml; charset=utf-8", "SOAPAction", "\"\"");
    }

    @Test
    void theRegisteredOrgVerifiesAndGetsTheSoapAck() {
        Verdict.Verified verified = verified(verifier.verify(soap(ENVELOPE), org(ORG)));

        assertThat(verified.deliveryId()).isEqualTo("04l5e00000Gx7QaAAJ,04l5e00000Gx7QzAAJ");
        assertThat(verified.ack().status()).isEqualTo(200);
        assertThat(verified.ack().contentType()).isEqualTo("text/xml; charset=utf-8");
        assertThat(new String(verified.ack().body(), StandardCharsets.UTF_8)).isEqualTo(ACK);
    }

    @Test
    void aFifteenCharacterOrgSettingIsComparedOnItsFifteenCharacters() {
        verified(verifier.verify(soap(ENVELOPE), org("00D5e000000KQ2e")));
        rejected(verifier.verify(soap(ENVELOPE), org("00D5e000000kq2e")), 401);
    }

    @Test
    void anotherOrgIsRejected() {
        rejected(verifier.verify(soap(ENVELOPE), org("00D000000000007EAA")), 401);
        rejected(verifier.verify(soap(ENVELOPE), context(null, Map.of(), null, Instant.now())), 401);
    }

    @Test
    void notSoapOrNoNotificationsIsMalformed() {
        rejected(verifier.verify(soap("{\"OrganizationId\":\"" + ORG + "\"}"), org(ORG)), 400);
        rejected(verifier.verify(soap("<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\">"
                + "<soapenv:Body/></soapenv:Envelope>"), org(ORG)), 400);
        rejected(verifier.verify(soap(ENVELOPE.replaceAll("(?s)<Notification>.*</Notification>", "")), org(ORG)), 400);
    }

    @Test
    void externalEntitiesAreRefusedWithoutReadingOrFetchingAnything(@TempDir Path dir) throws Exception {
        Path secretFile = dir.resolve("secret.txt");
        Files.writeString(secretFile, "TOP-SECRET-FILE-CONTENT");
        AtomicInteger fetches = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            fetches.incrementAndGet();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/evil.dtd";
            String fileEntity = "<?xml version=\"1.0\"?>\n<!DOCTYPE foo [<!ENTITY xxe SYSTEM \"" + secretFile.toUri()
                    + "\">]>\n" + ENVELOPE.substring(ENVELOPE.indexOf("<soapenv:Envelope"))
                            .replace("Acme Corporation", "&xxe;");
            String remoteDtd = "<?xml version=\"1.0\"?>\n<!DOCTYPE foo SYSTEM \"" + url + "\">\n"
                    + ENVELOPE.substring(ENVELOPE.indexOf("<soapenv:Envelope"));
            String parameterEntity = "<?xml version=\"1.0\"?>\n<!DOCTYPE foo [<!ENTITY % p SYSTEM \"" + url + "\"> %p;]>\n"
                    + ENVELOPE.substring(ENVELOPE.indexOf("<soapenv:Envelope"));

            for (String attack : new String[] {fileEntity, remoteDtd, parameterEntity}) {
                Verdict.Rejected rejected = rejected(verifier.verify(soap(attack), org(ORG)), 400);
                assertThat(rejected.reason()).doesNotContain("TOP-SECRET");
                assertThat(parser("salesforce_outbound")).satisfies(parser ->
                        org.assertj.core.api.Assertions.assertThatThrownBy(() -> parser.parse(soap(attack)))
                                .isInstanceOf(MalformedWebhookException.class));
            }
            assertThat(fetches).hasValue(0);
        } finally {
            server.stop(0);
        }
    }

    @Test
    void entityExpansionIsRefused() {
        String laughs = "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [<!ENTITY lol \"lol\">"
                + "<!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">"
                + "<!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">]>\n"
                + ENVELOPE.substring(ENVELOPE.indexOf("<soapenv:Envelope")).replace("Acme Corporation", "&lol3;");
        rejected(verifier.verify(soap(laughs), org(ORG)), 400);
    }
}
