package providers.salesforce;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.ErrorHandler;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

import providers.webhooks.MalformedWebhookException;

/**
 * A Salesforce outbound message (SOAP 1.1 {@code notifications}), read with a parser that refuses DTDs, so
 * no external entity is fetched and no entity is expanded. Namespaces are matched loosely (by local name),
 * as authenticity rests on the organization id, not on the envelope's shape.
 */
record OutboundMessage(String organizationId, String actionId, List<Notification> notifications) {

    static final int MAX_NOTIFICATIONS = 100;
    private static final String XSI = XMLConstants.W3C_XML_SCHEMA_INSTANCE_NS_URI;

    /** One Notification: its id and the sObject's type (without prefix) and record id. */
    record Notification(String id, String sObjectType, String sObjectId) {
    }

    private static final DocumentBuilderFactory FACTORY = hardenedFactory();
    private static final ThreadLocal<DocumentBuilder> BUILDER = ThreadLocal.withInitial(OutboundMessage::newBuilder);

    static OutboundMessage parse(byte[] body) {
        if (body.length == 0) {
            throw new MalformedWebhookException("body is empty");
        }
        Document document;
        DocumentBuilder builder = BUILDER.get();
        try {
            builder.reset();
            builder.setErrorHandler(SILENT);
            document = builder.parse(new ByteArrayInputStream(body));
        } catch (SAXException | IOException e) {
            throw new MalformedWebhookException("body is not well-formed XML without a DTD");
        }
        Element envelope = document.getDocumentElement();
        if (!"Envelope".equals(envelope.getLocalName())) {
            throw new MalformedWebhookException("not a SOAP envelope");
        }
        Element soapBody = child(envelope, "Body");
        Element notifications = soapBody == null ? null : child(soapBody, "notifications");
        if (notifications == null) {
            throw new MalformedWebhookException("no notifications element");
        }
        String organizationId = text(child(notifications, "OrganizationId"));
        if (organizationId == null) {
            throw new MalformedWebhookException("no OrganizationId");
        }
        List<Notification> items = new ArrayList<>();
        for (Node node = notifications.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element && "Notification".equals(element.getLocalName())) {
                if (items.size() == MAX_NOTIFICATIONS) {
                    throw new MalformedWebhookException("more than " + MAX_NOTIFICATIONS + " notifications");
                }
                items.add(notification(element));
            }
        }
        if (items.isEmpty()) {
            throw new MalformedWebhookException("no Notification");
        }
        return new OutboundMessage(organizationId, text(child(notifications, "ActionId")), List.copyOf(items));
    }

    private static Notification notification(Element element) {
        String id = text(child(element, "Id"));
        Element sObject = child(element, "sObject");
        if (id == null || sObject == null) {
            throw new MalformedWebhookException("Notification without Id or sObject");
        }
        String type = sObject.getAttributeNS(XSI, "type");
        if (type == null || type.isBlank()) {
            throw new MalformedWebhookException("sObject without xsi:type");
        }
        int colon = type.indexOf(':');
        String recordId = text(child(sObject, "Id"));
        if (recordId == null) {
            throw new MalformedWebhookException("sObject without Id");
        }
        return new Notification(id, type.substring(colon + 1).trim(), recordId);
    }

    private static Element child(Element parent, String localName) {
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element && localName.equals(element.getLocalName())) {
                return element;
            }
        }
        return null;
    }

    private static String text(Element element) {
        if (element == null) {
            return null;
        }
        String text = element.getTextContent().trim();
        return text.isEmpty() ? null : text;
    }

    private static DocumentBuilderFactory hardenedFactory() {
        // the JDK's own implementation, whatever else is on the classpath, so every feature below is honoured
        DocumentBuilderFactory factory = DocumentBuilderFactory.newDefaultInstance();
        try {
            factory.setNamespaceAware(true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
            factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            factory.setXIncludeAware(false);
            factory.setExpandEntityReferences(false);
        } catch (ParserConfigurationException | IllegalArgumentException e) {
            throw new IllegalStateException("cannot harden the XML parser", e);
        }
        return factory;
    }

    private static DocumentBuilder newBuilder() {
        try {
            synchronized (FACTORY) {
                return FACTORY.newDocumentBuilder();
            }
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("cannot create an XML parser", e);
        }
    }

    // the default handler prints "[Fatal Error]" lines to stderr for every bad request
    private static final ErrorHandler SILENT = new ErrorHandler() {
        @Override
        public void warning(SAXParseException e) {
        }

        @Override
        public void error(SAXParseException e) throws SAXException {
            throw e;
        }

        @Override
        public void fatalError(SAXParseException e) throws SAXException {
            throw e;
        }
    };
}
