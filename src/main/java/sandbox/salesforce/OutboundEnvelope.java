package sandbox.salesforce;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * The SOAP 1.1 {@code notifications} message Salesforce POSTs to an outbound message's endpoint, and the
 * listener's acknowledgement. Namespaces, element order and value formats follow captured real messages.
 */
final class OutboundEnvelope {

    static final String SOAPENV_NS = "http://schemas.xmlsoap.org/soap/envelope/";
    static final String OUTBOUND_NS = "http://soap.sforce.com/2005/09/outbound";
    static final String SOBJECT_NS = "urn:sobject.enterprise.soap.sforce.com";
    static final String XSI_NS = "http://www.w3.org/2001/XMLSchema-instance";
    static final String XSD_NS = "http://www.w3.org/2001/XMLSchema";
    /** The SOAP form of a datetime: milliseconds and {@code Z} (REST writes {@code +0000}). */
    private static final DateTimeFormatter DATETIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    /**
     * One notification of a message.
     *
     * @param record the record as it is now, or null when it has been deleted since the notification was
     *     queued: Salesforce then sends the notification without data (here: the record id only)
     */
    record Item(String notificationId, String recordId, SandboxRecord record) {
    }

    /** What the listener answered to a message. */
    enum Ack {
        TRUE, FALSE, MISSING, NOT_XML
    }

    private OutboundEnvelope() {
    }

    /** The message for these notifications; {@code sessionId} is null unless the message sends one. */
    static String build(OutboundMessage message, String sessionId, List<Item> items) {
        StringBuilder xml = new StringBuilder(512 + items.size() * (128 + 64 * message.fields().size()));
        xml.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
                .append("<soapenv:Envelope xmlns:soapenv=\"").append(SOAPENV_NS)
                .append("\" xmlns:xsd=\"").append(XSD_NS)
                .append("\" xmlns:xsi=\"").append(XSI_NS).append("\">\n")
                .append(" <soapenv:Body>\n")
                .append("  <notifications xmlns=\"").append(OUTBOUND_NS).append("\">\n");
        element(xml, "   ", "OrganizationId", message.org().orgId());
        element(xml, "   ", "ActionId", message.id());
        if (sessionId == null) {
            xml.append("   <SessionId xsi:nil=\"true\"/>\n");
        } else {
            element(xml, "   ", "SessionId", sessionId);
        }
        element(xml, "   ", "EnterpriseUrl", message.enterpriseUrl());
        element(xml, "   ", "PartnerUrl", message.partnerUrl());
        for (Item item : items) {
            xml.append("   <Notification>\n");
            element(xml, "    ", "Id", item.notificationId());
            xml.append("    <sObject xsi:type=\"sf:").append(message.object().name())
                    .append("\" xmlns:sf=\"").append(SOBJECT_NS).append("\">\n");
            element(xml, "     ", "sf:Id", item.recordId());
            if (item.record() != null) {
                for (SObjectField field : message.fields()) {
                    Object value = field.name().equals("Id") ? null : item.record().get(field);
                    if (value != null) {
                        element(xml, "     ", "sf:" + field.name(), value(value));
                    }
                }
            }
            xml.append("    </sObject>\n")
                    .append("   </Notification>\n");
        }
        xml.append("  </notifications>\n")
                .append(" </soapenv:Body>\n")
                .append("</soapenv:Envelope>\n");
        return xml.toString();
    }

    /**
     * Whether a response body acknowledges the message: {@code <Ack>true</Ack>} under {@code notificationsResponse}
     * (the WSDL's element) or {@code notifications} (what widely copied listeners answer). Prefixes and
     * namespaces are ignored, as Salesforce is lenient here too.
     */
    static Ack acknowledgement(byte[] body) {
        Element root;
        try {
            DocumentBuilder builder = parserFactory().newDocumentBuilder();
            builder.setErrorHandler(new DefaultHandler());
            root = builder.parse(new ByteArrayInputStream(body)).getDocumentElement();
        } catch (ParserConfigurationException | SAXException | IOException e) {
            return Ack.NOT_XML;
        }
        Ack found = Ack.MISSING;
        NodeList acks = root.getElementsByTagName("*");
        for (int i = 0; i < acks.getLength(); i++) {
            Element element = (Element) acks.item(i);
            Node parent = element.getParentNode();
            if (!localName(element).equals("Ack") || !(parent instanceof Element p)) {
                continue;
            }
            String parentName = localName(p);
            if (parentName.equals("notificationsResponse") || parentName.equals("notifications")) {
                String text = element.getTextContent().trim();
                if (text.equals("true") || text.equals("1")) {
                    return Ack.TRUE;
                }
                found = Ack.FALSE;
            }
        }
        return found;
    }

    /** A value as the enterprise WSDL types write it. */
    static String value(Object value) {
        if (value instanceof Instant instant) {
            return DATETIME.format(instant);
        }
        if (value instanceof LocalDate date) {
            return date.toString();
        }
        // numbers as Salesforce's Java stack prints them (Double: 15000.0, 1.5E7); booleans true/false
        return String.valueOf(value);
    }

    private static void element(StringBuilder xml, String indent, String name, String text) {
        xml.append(indent).append('<').append(name).append('>');
        escape(xml, text);
        xml.append("</").append(name).append(">\n");
    }

    /**
     * Escapes markup characters, keeps carriage returns (a parser would turn a literal one into a line feed)
     * and replaces characters XML 1.0 cannot carry at all with U+FFFD.
     */
    static void escape(StringBuilder xml, String text) {
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            i += Character.charCount(c);
            switch (c) {
                case '&' -> xml.append("&amp;");
                case '<' -> xml.append("&lt;");
                case '>' -> xml.append("&gt;");
                case '"' -> xml.append("&quot;");
                case '\'' -> xml.append("&apos;");
                case '\r' -> xml.append("&#13;");
                default -> {
                    boolean allowed = c == '\t' || c == '\n' || (c >= 0x20 && c <= 0xD7FF)
                            || (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
                    xml.appendCodePoint(allowed ? c : 0xFFFD);
                }
            }
        }
    }

    private static String localName(Element element) {
        String name = element.getTagName();
        return name.substring(name.indexOf(':') + 1);
    }

    /** Not namespace-aware, so undeclared prefixes still parse; no DTDs or external entities. */
    private static DocumentBuilderFactory parserFactory() throws ParserConfigurationException {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(false);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        factory.setXIncludeAware(false);
        factory.setExpandEntityReferences(false);
        factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        return factory;
    }
}

