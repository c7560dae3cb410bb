package sandbox.salesforce;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

/** The parts of the SOAP message that need no listener: value formats, escaping, reading the Ack. */
class OutboundEnvelopeTest {

    @Test
    void writesValuesAsTheEnterpriseWsdlTypesDo() {
        assertThat(OutboundEnvelope.value(Instant.parse("2019-10-24T14:25:43Z"))).isEqualTo("2019-10-24T14:25:43.000Z");
        assertThat(OutboundEnvelope.value(Instant.parse("2019-10-24T14:25:43.5Z"))).isEqualTo("2019-10-24T14:25:43.500Z");
        assertThat(OutboundEnvelope.value(LocalDate.of(2025, 9, 30))).isEqualTo("2025-09-30");
        assertThat(OutboundEnvelope.value(Boolean.TRUE)).isEqualTo("true");
        assertThat(OutboundEnvelope.value(42)).isEqualTo("42");
        assertThat(OutboundEnvelope.value(15000.0)).isEqualTo("15000.0");
    }

    @Test
    void escapesMarkupAndReplacesWhatXmlCannotCarry() {
        StringBuilder xml = new StringBuilder();
        OutboundEnvelope.escape(xml, "a&b<c>d\"e'f\rg\nh\ti\u0001j\uD83D\uDE00k\uD800");
        assertThat(xml.toString()).isEqualTo("a&amp;b&lt;c&gt;d&quot;e&apos;f&#13;g\nh\ti\uFFFDj\uD83D\uDE00k\uFFFD");
    }

    @Test
    void readsTheAckLoosely() {
        assertThat(ack("<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\"><soapenv:Body>"
                + "<notificationsResponse xmlns=\"http://soap.sforce.com/2005/09/outbound\"><Ack>true</Ack>"
                + "</notificationsResponse></soapenv:Body></soapenv:Envelope>")).isEqualTo(OutboundEnvelope.Ack.TRUE);
        assertThat(ack("<S:Envelope xmlns:S=\"http://schemas.xmlsoap.org/soap/envelope/\"><S:Body>"
                + "<ns2:notifications xmlns:ns2=\"http://soap.sforce.com/2005/09/outbound\"><ns2:Ack> 1 </ns2:Ack>"
                + "</ns2:notifications></S:Body></S:Envelope>")).isEqualTo(OutboundEnvelope.Ack.TRUE);
        // an undeclared prefix, as sloppy listeners send
        assertThat(ack("<soap:Envelope><soap:Body><notificationsResponse><Ack>true</Ack></notificationsResponse>"
                + "</soap:Body></soap:Envelope>")).isEqualTo(OutboundEnvelope.Ack.TRUE);
        assertThat(ack("<Envelope><Body><notificationsResponse><Ack>false</Ack></notificationsResponse></Body>"
                + "</Envelope>")).isEqualTo(OutboundEnvelope.Ack.FALSE);
        assertThat(ack("<Envelope><Body><other><Ack>true</Ack></other></Body></Envelope>"))
                .isEqualTo(OutboundEnvelope.Ack.MISSING);
        assertThat(ack("OK")).isEqualTo(OutboundEnvelope.Ack.NOT_XML);
        assertThat(ack("")).isEqualTo(OutboundEnvelope.Ack.NOT_XML);
        assertThat(ack("<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY t \"true\">]>"
                + "<notificationsResponse><Ack>&t;</Ack></notificationsResponse>"))
                .isEqualTo(OutboundEnvelope.Ack.NOT_XML);
    }

    private static OutboundEnvelope.Ack ack(String body) {
        return OutboundEnvelope.acknowledgement(body.getBytes(StandardCharsets.UTF_8));
    }
}
