package sandbox.salesforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.http.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.DispatcherServletAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.ServletWebServerFactoryAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.WebMvcAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.servlet.context.ServletWebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Outbound messages end to end: the sandbox on a real port, defined through its setup API, fired by REST
 * writes, delivered to a JDK HTTP server acting as the listener.
 */
class SalesforceOutboundMessageTest {

    private static final String SOAPENV = "http://schemas.xmlsoap.org/soap/envelope/";
    private static final String OUTBOUND = "http://soap.sforce.com/2005/09/outbound";
    private static final String SF = "urn:sobject.enterprise.soap.sforce.com";
    private static final String XSI = "http://www.w3.org/2001/XMLSchema-instance";
    private static final String ACK_TRUE = """
            <?xml version="1.0" encoding="UTF-8"?>
            <soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/">
             <soapenv:Body>
              <notificationsResponse xmlns="http://soap.sforce.com/2005/09/outbound">
               <Ack>true</Ack>
              </notificationsResponse>
             </soapenv:Body>
            </soapenv:Envelope>
            """;
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private static ConfigurableApplicationContext server;
    private static String sandbox;
    private static HttpServer listener;
    private static ExecutorService listenerThreads;
    private static String listenerBase;
    private static final Map<String, List<Received>> received = new ConcurrentHashMap<>();
    private static final Map<String, IntFunction<Reply>> replies = new ConcurrentHashMap<>();

    /** Only the web layer and the sandbox, as in CamelSalesforceClientTest. */
    @ImportAutoConfiguration({ServletWebServerFactoryAutoConfiguration.class, DispatcherServletAutoConfiguration.class,
            WebMvcAutoConfiguration.class, HttpMessageConvertersAutoConfiguration.class})
    @Import({SalesforceSandboxConfiguration.class, SalesforceOAuthController.class, SalesforceRestController.class,
            SalesforceSObjectController.class, SalesforceSetupController.class})
    static class SandboxServer {
    }

    /** One POST the listener got. */
    record Received(Map<String, List<String>> headers, String body, Document document) {

        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }

        Element notifications() {
            Element body = child(document.getDocumentElement(), SOAPENV, "Body");
            return child(body, OUTBOUND, "notifications");
        }

        List<Element> notificationElements() {
            return children(notifications()).stream().filter(e -> e.getLocalName().equals("Notification")).toList();
        }

        List<String> notificationIds() {
            return notificationElements().stream().map(n -> child(n, OUTBOUND, "Id").getTextContent()).toList();
        }

        List<String> recordIds() {
            return notificationElements().stream()
                    .map(n -> child(child(n, OUTBOUND, "sObject"), SF, "Id").getTextContent()).toList();
        }
    }

    /** What the listener answers. */
    record Reply(int status, String body) {
    }

    /** The org a test works in, and its token. */
    record Org(String token, String orgId) {
    }

    @BeforeAll
    static void start() throws Exception {
        listener = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        listenerThreads = Executors.newFixedThreadPool(4);
        listener.setExecutor(listenerThreads);
        listener.createContext("/", SalesforceOutboundMessageTest::handle);
        listener.start();
        listenerBase = "http://127.0.0.1:" + listener.getAddress().getPort();
        server = new SpringApplicationBuilder(SandboxServer.class)
                .web(WebApplicationType.SERVLET)
                // arguments, not default properties: the hub's application.properties must not override them
                .run("--server.port=0", "--spring.main.banner-mode=off", "--hub.sandbox.enabled=true",
                        "--hub.sandbox.salesforce.accounts=3", "--hub.sandbox.salesforce.latency-ms=0",
                        "--hub.sandbox.salesforce.outbound-batch-window=1s",
                        "--hub.sandbox.salesforce.outbound-retry-initial=200ms",
                        "--hub.sandbox.salesforce.outbound-retry-max=400ms",
                        "--hub.sandbox.salesforce.outbound-give-up-after=1h",
                        "--hub.sandbox.salesforce.outbound-timeout=5s",
                        // the listener is not the hub's own origin
                        "--hub.sandbox.salesforce.outbound-allowed-hosts=127.0.0.1",
                        // every test logs into an org of its own, all from this machine: one client
                        "--hub.sandbox.salesforce.max-orgs-per-client=50");
        int port = ((ServletWebServerApplicationContext) server).getWebServer().getPort();
        sandbox = "http://localhost:" + port + "/sandbox/salesforce";
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (listener != null) {
            listener.stop(0);
            listenerThreads.shutdownNow();
        }
    }

    @Test
    void settingsAreBound() {
        SalesforceSandboxProperties properties = server.getBean(SalesforceSandboxProperties.class);
        assertThat(properties.outboundBatchWindow()).isEqualTo(Duration.ofSeconds(1));
        assertThat(properties.outboundRetryInitial()).isEqualTo(Duration.ofMillis(200));
        assertThat(properties.outboundRetryMax()).isEqualTo(Duration.ofMillis(400));
        assertThat(properties.outboundGiveUpAfter()).isEqualTo(Duration.ofHours(1));
        OutboundMessaging messaging = server.getBean(OutboundMessaging.class);
        assertThat(messaging.backoff(1)).isEqualTo(Duration.ofMillis(200));
        assertThat(messaging.backoff(2)).isEqualTo(Duration.ofMillis(400));
        assertThat(messaging.backoff(30)).isEqualTo(Duration.ofMillis(400));
    }

    @Test
    void setupValidatesListsAndDeletes() throws Exception {
        Org org = login("om-setup");
        Org other = login("om-setup-other");
        String endpoint = listenerBase + "/setup";

        assertError(post("/setup/outbound-messages", null, definition("X", "Account", endpoint, List.of("Name"))),
                401, "INVALID_SESSION_ID");
        assertError(post("/setup/outbound-messages", org, definition("X", "Case", endpoint, List.of("Name"))),
                400, "INVALID_TYPE");
        assertError(post("/setup/outbound-messages", org, definition("X", "Account", endpoint, List.of("Nmae"))),
                400, "INVALID_FIELD");
        assertError(post("/setup/outbound-messages", org,
                definition("X", "Account", endpoint, List.of("BillingAddress"))), 400, "INVALID_FIELD");
        // a host other than this machine is refused: the sandbox's logins are public
        for (String bad : new String[] {"ftp://example.com/x", "not a url", "http:///nohost", "/relative", "http://169.254.169.254/x"}) {
            assertError(post("/setup/outbound-messages", org, definition("X", "Account", bad, List.of("Name"))),
                    400, "FIELD_INTEGRITY_EXCEPTION");
        }
        assertError(post("/setup/outbound-messages", org, definition("", "Account", endpoint, List.of())),
                400, "REQUIRED_FIELD_MISSING");
        assertError(post("/setup/outbound-messages", org, "{\"name\":"), 400, "JSON_PARSER_ERROR");

        HttpResponse<String> created = post("/setup/outbound-messages", org,
                definition("Accounts to ERP", "account", endpoint, List.of("Name", "industry", "Name")));
        assertThat(created.statusCode()).isEqualTo(201);
        JsonNode message = JSON.readTree(created.body());
        String id = message.get("id").asText();
        assertThat(id).hasSize(18).startsWith("04k").isEqualTo(SalesforceIds.normalize(id));
        assertThat(message.get("name").asText()).isEqualTo("Accounts to ERP");
        assertThat(message.get("object").asText()).isEqualTo("Account");
        assertThat(message.get("endpointUrl").asText()).isEqualTo(endpoint);
        assertThat(names(message.get("fields"))).containsExactly("Id", "Industry", "Name");
        assertThat(message.get("includeSessionId").asBoolean()).isFalse();
        assertThat(created.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/" + id));

        JsonNode list = JSON.readTree(get("/setup/outbound-messages", org).body());
        assertThat(list.get("totalSize").asInt()).isEqualTo(1);
        assertThat(list.get("records").get(0).get("id").asText()).isEqualTo(id);
        assertThat(JSON.readTree(get("/setup/outbound-messages/" + id, org).body()).get("name").asText())
                .isEqualTo("Accounts to ERP");
        assertThat(JSON.readTree(get("/setup/outbound-messages", other).body()).get("totalSize").asInt()).isZero();
        assertError(get("/setup/outbound-messages/" + id, other), 404, "NOT_FOUND");
        assertError(delete("/setup/outbound-messages/" + id, other), 404, "NOT_FOUND");

        JsonNode deliveries = JSON.readTree(get("/setup/outbound-messages/" + id + "/deliveries", org).body());
        assertThat(deliveries.get("deliveredCount").asLong()).isZero();
        assertThat(deliveries.get("pending")).isEmpty();

        assertThat(delete("/setup/outbound-messages/" + id, org).statusCode()).isEqualTo(204);
        assertThat(JSON.readTree(get("/setup/outbound-messages", org).body()).get("totalSize").asInt()).isZero();
        assertError(delete("/setup/outbound-messages/" + id, org), 404, "NOT_FOUND");
        assertError(get("/setup/outbound-messages/" + id + "/deliveries", org), 404, "NOT_FOUND");
    }

    @Test
    void createAndUpdateSendWellFormedEnvelopes() throws Exception {
        Org org = login("om-envelope");
        String path = "/envelope";
        String messageId = define(org, "Accounts", "Account", path,
                List.of("Name", "Website", "AnnualRevenue", "NumberOfEmployees", "LastModifiedDate", "Description"),
                false);
        String name = "Smith & Sons <\"Ltd\"> 'x'";
        String accountId = create(org, "Account", Map.of("Name", name, "AnnualRevenue", 1500000.5,
                "NumberOfEmployees", 42, "Website", "https://smith.example/?a=1&b=2"));

        Received first = awaitMessages(path, 1).get(0);
        assertThat(first.header("Content-Type")).isEqualTo("text/xml; charset=utf-8");
        assertThat(first.header("SOAPAction")).isEqualTo("\"\"");
        assertThat(first.body()).startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");

        Element envelope = first.document().getDocumentElement();
        assertThat(envelope.getNamespaceURI()).isEqualTo(SOAPENV);
        assertThat(envelope.getLocalName()).isEqualTo("Envelope");
        Element notifications = first.notifications();
        assertThat(children(notifications).stream().map(Element::getLocalName))
                .containsExactly("OrganizationId", "ActionId", "SessionId", "EnterpriseUrl", "PartnerUrl",
                        "Notification");
        assertThat(children(notifications)).allSatisfy(e -> assertThat(e.getNamespaceURI()).isEqualTo(OUTBOUND));
        String orgId15 = org.orgId().substring(0, 15);
        assertThat(text(notifications, "OrganizationId")).hasSize(18).isEqualTo(org.orgId());
        assertThat(text(notifications, "ActionId")).isEqualTo(messageId);
        Element sessionId = child(notifications, OUTBOUND, "SessionId");
        assertThat(sessionId.getAttributeNS(XSI, "nil")).isEqualTo("true");
        assertThat(sessionId.getTextContent()).isEmpty();
        assertThat(text(notifications, "EnterpriseUrl")).isEqualTo(sandbox + "/services/Soap/c/59.0/" + orgId15);
        assertThat(text(notifications, "PartnerUrl")).isEqualTo(sandbox + "/services/Soap/u/59.0/" + orgId15);

        Element notification = child(notifications, OUTBOUND, "Notification");
        assertThat(children(notification).stream().map(Element::getLocalName)).containsExactly("Id", "sObject");
        String notificationId = text(notification, "Id");
        assertThat(notificationId).hasSize(18).startsWith("04l").isEqualTo(SalesforceIds.normalize(notificationId));
        Element sObject = child(notification, OUTBOUND, "sObject");
        assertThat(sObject.getAttributeNS(XSI, "type")).isEqualTo("sf:Account");
        assertThat(sObject.lookupNamespaceURI("sf")).isEqualTo(SF);
        assertThat(children(sObject)).allSatisfy(e -> {
            assertThat(e.getNamespaceURI()).isEqualTo(SF);
            assertThat(e.getPrefix()).isEqualTo("sf");
        });
        // Id first, then the selected fields alphabetically; Description is null and left out
        assertThat(children(sObject).stream().map(Element::getLocalName)).containsExactly("Id", "AnnualRevenue",
                "LastModifiedDate", "Name", "NumberOfEmployees", "Website");
        assertThat(text(sObject, SF, "Id")).isEqualTo(accountId);
        assertThat(text(sObject, SF, "Name")).isEqualTo(name);
        assertThat(text(sObject, SF, "Website")).isEqualTo("https://smith.example/?a=1&b=2");
        assertThat(Double.parseDouble(text(sObject, SF, "AnnualRevenue"))).isEqualTo(1500000.5);
        assertThat(text(sObject, SF, "NumberOfEmployees")).isEqualTo("42");
        String modified = text(sObject, SF, "LastModifiedDate");
        assertThat(modified).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z");
        JsonNode rest = JSON.readTree(get("/services/data/v59.0/sobjects/Account/" + accountId, org).body());
        assertThat(modified.replace("Z", "+0000")).isEqualTo(rest.get("LastModifiedDate").asText());

        HttpResponse<String> patched = patch("/services/data/v59.0/sobjects/Account/" + accountId, org,
                "{\"Name\":\"Renamed\",\"Website\":null}");
        assertThat(patched.statusCode()).isEqualTo(204);
        Received second = awaitMessages(path, 2).get(1);
        assertThat(second.recordIds()).containsExactly(accountId);
        assertThat(second.notificationIds()).doesNotContain(notificationId);
        Element updated = child(child(second.notificationElements().get(0), OUTBOUND, "sObject"), SF, "Name");
        assertThat(updated.getTextContent()).isEqualTo("Renamed");
        Element secondObject = child(second.notificationElements().get(0), OUTBOUND, "sObject");
        assertThat(children(secondObject).stream().map(Element::getLocalName)).doesNotContain("Website");

        // the sandbox records a delivery once the listener's acknowledgement is back, just after the listener saw it
        await().atMost(WAIT).until(() -> deliveries(org, messageId).get("deliveredCount").asLong() == 2);
        JsonNode deliveries = deliveries(org, messageId);
        assertThat(deliveries.get("messagesSent").asLong()).isEqualTo(2);
        assertThat(deliveries.get("pending")).isEmpty();
    }

    @Test
    void sendsAWorkingSessionIdWhenAsked() throws Exception {
        Org org = login("om-session");
        String path = "/session";
        define(org, "Contacts", "Contact", path, List.of("LastName", "Email"), true);
        create(org, "Contact", Map.of("LastName", "Session"));
        Received message = awaitMessages(path, 1).get(0);
        String sessionId = text(message.notifications(), "SessionId");
        assertThat(sessionId).startsWith(org.orgId().substring(0, 15) + "!");
        assertThat(get("/services/data/v59.0/limits", new Org(sessionId, org.orgId())).statusCode()).isEqualTo(200);
    }

    @Test
    void quickChangesGoOutInOneMessage() throws Exception {
        Org org = login("om-batch");
        String path = "/batch";
        String messageId = define(org, "Contacts", "Contact", path, List.of("LastName"), false);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(create(org, "Contact", Map.of("LastName", "Batch " + i)));
        }
        Received message = awaitMessages(path, 1).get(0);
        assertThat(message.recordIds()).containsExactlyElementsOf(ids);
        assertThat(message.notificationIds()).doesNotHaveDuplicates();
        await().atMost(WAIT).until(() -> deliveries(org, messageId).get("deliveredCount").asLong() == 3);
        assertThat(received(path)).hasSize(1);
    }

    @Test
    void atMostOneHundredNotificationsPerMessage() throws Exception {
        Org org = login("om-hundred");
        String path = "/hundred";
        String messageId = define(org, "Accounts", "Account", path, List.of("Name"), false);
        String accountId = create(org, "Account", Map.of("Name", "Busy"));
        // 150 more edits at once, straight through the change listener (REST calls could straddle the window)
        OutboundMessaging messaging = server.getBean(OutboundMessaging.class);
        Map<String, Object> record = Map.of("Id", accountId);
        for (int i = 0; i < 150; i++) {
            messaging.recordChanged(org.orgId(), "Account", "updated", record);
        }
        await().atMost(WAIT).until(() -> deliveries(org, messageId).get("deliveredCount").asLong() == 151);
        List<Received> messages = received(path);
        assertThat(messages).allSatisfy(m -> assertThat(m.notificationElements()).hasSizeBetween(1, 100));
        assertThat(messages.stream().mapToInt(m -> m.notificationElements().size()).sum()).isEqualTo(151);
        assertThat(messages.stream().flatMap(m -> m.notificationIds().stream()).distinct().count()).isEqualTo(151);
    }

    @Test
    void retriesAfterAnErrorStatusWithTheSameNotificationId() throws Exception {
        Org org = login("om-retry");
        String path = "/retry";
        AtomicBoolean healthy = new AtomicBoolean(false);
        replies.put(path, n -> healthy.get() ? new Reply(200, ACK_TRUE) : new Reply(500, "down for maintenance"));
        String messageId = define(org, "Opportunities", "Opportunity", path, List.of("Name", "CloseDate"), false);
        String id = create(org, "Opportunity", Map.of("Name", "Retry", "StageName", "Prospecting",
                "CloseDate", "2025-09-30"));

        await().atMost(WAIT).until(() -> {
            JsonNode pending = deliveries(org, messageId).get("pending");
            return pending.size() == 1 && pending.get(0).get("attempts").asInt() >= 2;
        });
        JsonNode entry = deliveries(org, messageId).get("pending").get(0);
        assertThat(entry.get("recordId").asText()).isEqualTo(id);
        assertThat(entry.get("lastStatusCode").asInt()).isEqualTo(500);
        assertThat(entry.get("lastError").asText()).isEqualTo("HTTP 500");
        assertThat(entry.get("nextAttemptDate").asText()).isNotBlank();
        assertThat(deliveries(org, messageId).get("deliveredCount").asLong()).isZero();

        healthy.set(true);
        await().atMost(WAIT).until(() -> deliveries(org, messageId).get("deliveredCount").asLong() == 1);
        JsonNode done = deliveries(org, messageId);
        assertThat(done.get("pending")).isEmpty();
        assertThat(done.get("pendingCount").asInt()).isZero();
        List<Received> attempts = received(path);
        assertThat(attempts.size()).isGreaterThanOrEqualTo(3);
        assertThat(attempts.stream().map(Received::notificationIds).distinct()).hasSize(1);
        assertThat(text(child(attempts.get(attempts.size() - 1).notificationElements().get(0), OUTBOUND, "sObject"),
                SF, "CloseDate")).isEqualTo("2025-09-30");
    }

    @Test
    void retriesWhenTheAckIsFalseOrMissing() throws Exception {
        Org org = login("om-nack");
        String path = "/nack";
        String nack = ACK_TRUE.replace("<Ack>true</Ack>", "<Ack>false</Ack>");
        // the last answer is the form some listeners use: Ack under notifications, other prefixes
        String lenient = "<env:Envelope xmlns:env=\"http://schemas.xmlsoap.org/soap/envelope/\"><env:Body>"
                + "<out:notifications xmlns:out=\"http://soap.sforce.com/2005/09/outbound\"><out:Ack>true</out:Ack>"
                + "</out:notifications></env:Body></env:Envelope>";
        replies.put(path, n -> switch (n) {
            case 0 -> new Reply(200, nack);
            case 1 -> new Reply(200, "<ok/>");
            case 2 -> new Reply(200, "not xml");
            default -> new Reply(200, lenient);
        });
        String messageId = define(org, "Accounts", "Account", path, List.of("Name"), false);
        create(org, "Account", Map.of("Name", "Nack"));

        await().atMost(WAIT).until(() -> deliveries(org, messageId).get("deliveredCount").asLong() == 1);
        List<Received> attempts = received(path);
        assertThat(attempts).hasSize(4);
        assertThat(attempts.stream().map(Received::notificationIds).distinct()).hasSize(1);
    }

    @Test
    void aRecordDeletedBeforeDeliveryIsSentWithoutData() throws Exception {
        Org org = login("om-gone");
        String path = "/gone";
        AtomicBoolean healthy = new AtomicBoolean(false);
        replies.put(path, n -> healthy.get() ? new Reply(200, ACK_TRUE) : new Reply(503, ""));
        String messageId = define(org, "Accounts", "Account", path, List.of("Name"), false);
        String id = create(org, "Account", Map.of("Name", "Gone soon"));
        await().atMost(WAIT).until(() -> !received(path).isEmpty());
        assertThat(delete("/services/data/v59.0/sobjects/Account/" + id, org).statusCode()).isEqualTo(204);
        healthy.set(true);
        await().atMost(WAIT).until(() -> deliveries(org, messageId).get("deliveredCount").asLong() == 1);
        List<Received> attempts = received(path);
        Element last = child(attempts.get(attempts.size() - 1).notificationElements().get(0), OUTBOUND, "sObject");
        assertThat(children(last).stream().map(Element::getLocalName)).containsExactly("Id");
        assertThat(last.getTextContent().trim()).isEqualTo(id);
    }

    @Test
    void deletesDoNotSend() throws Exception {
        Org org = login("om-delete");
        String path = "/delete";
        String messageId = define(org, "Accounts", "Account", path, List.of("Name"), false);
        String first = create(org, "Account", Map.of("Name", "Doomed"));
        awaitMessages(path, 1);
        String marker = create(org, "Account", Map.of("Name", "Marker"));
        assertThat(delete("/services/data/v59.0/sobjects/Account/" + first, org).statusCode()).isEqualTo(204);
        assertThat(patch("/services/data/v59.0/sobjects/Account/" + marker, org, "{\"Name\":\"Marker 2\"}")
                .statusCode()).isEqualTo(204);
        // whatever the delete queued would be in the marker's batch or before it
        await().atMost(WAIT).until(() -> deliveries(org, messageId).get("deliveredCount").asLong() >= 3);
        List<String> sent = received(path).stream().flatMap(m -> m.recordIds().stream()).toList();
        assertThat(sent).containsExactly(first, marker, marker);
        assertThat(deliveries(org, messageId).get("deliveredCount").asLong()).isEqualTo(3);
    }

    @Test
    void anotherOrgsChangesDoNotReachThisOrgsEndpoint() throws Exception {
        Org mine = login("om-mine");
        Org theirs = login("om-theirs");
        String path = "/mine";
        String messageId = define(mine, "Accounts", "Account", path, List.of("Name"), false);
        String theirAccount = create(theirs, "Account", Map.of("Name", "Theirs"));
        patch("/services/data/v59.0/sobjects/Account/" + theirAccount, theirs, "{\"Name\":\"Theirs 2\"}");
        assertError(get("/setup/outbound-messages/" + messageId + "/deliveries", theirs), 404, "NOT_FOUND");
        String myAccount = create(mine, "Account", Map.of("Name", "Mine"));

        await().atMost(WAIT).until(() -> deliveries(mine, messageId).get("deliveredCount").asLong() >= 1);
        List<Received> messages = received(path);
        assertThat(messages.stream().flatMap(m -> m.recordIds().stream())).containsExactly(myAccount);
        assertThat(messages).allSatisfy(m -> assertThat(text(m.notifications(), "OrganizationId"))
                .isEqualTo(mine.orgId()));
        assertThat(mine.orgId()).isNotEqualTo(theirs.orgId());
    }

    // ------------------------------------------------------------------ the listener

    private static void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            byte[] bytes = exchange.getRequestBody().readAllBytes();
            Document document;
            try {
                DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
                factory.setNamespaceAware(true);
                document = factory.newDocumentBuilder().parse(new ByteArrayInputStream(bytes));
            } catch (Exception e) {
                throw new IOException("not XML", e);
            }
            List<Received> list = received.computeIfAbsent(path, p -> new CopyOnWriteArrayList<>());
            int n;
            synchronized (list) {
                n = list.size();
                list.add(new Received(new HashMap<>(exchange.getRequestHeaders()),
                        new String(bytes, StandardCharsets.UTF_8), document));
            }
            Reply reply = replies.getOrDefault(path, i -> new Reply(200, ACK_TRUE)).apply(n);
            byte[] out = reply.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/xml; charset=utf-8");
            exchange.sendResponseHeaders(reply.status(), out.length == 0 ? -1 : out.length);
            if (out.length > 0) {
                try (OutputStream body = exchange.getResponseBody()) {
                    body.write(out);
                }
            }
        }
    }

    private static List<Received> received(String path) {
        return List.copyOf(received.getOrDefault(path, List.of()));
    }

    private static List<Received> awaitMessages(String path, int count) {
        await().atMost(WAIT).until(() -> received(path).size() >= count);
        return received(path);
    }

    // ------------------------------------------------------------------ the sandbox over HTTP

    private static Org login(String name) throws Exception {
        String form = "grant_type=password&client_id=" + SalesforceOAuthController.CLIENT_ID
                + "&client_secret=" + SalesforceOAuthController.CLIENT_SECRET
                + "&username=" + URLEncoder.encode("admin+" + name + "@sandbox.example", StandardCharsets.UTF_8)
                + "&password=" + SandboxOrgs.PASSWORD;
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(sandbox + "/services/oauth2/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode token = JSON.readTree(response.body());
        String identity = token.get("id").asText();
        String[] parts = identity.split("/");
        return new Org(token.get("access_token").asText(), parts[parts.length - 2]);
    }

    private static String define(Org org, String name, String object, String path, List<String> fields,
            boolean includeSessionId) throws Exception {
        Map<String, Object> body = new HashMap<>();
        body.put("name", name);
        body.put("object", object);
        body.put("endpointUrl", listenerBase + path);
        body.put("fields", fields);
        body.put("includeSessionId", includeSessionId);
        HttpResponse<String> response = post("/setup/outbound-messages", org, JSON.writeValueAsString(body));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return JSON.readTree(response.body()).get("id").asText();
    }

    private static String create(Org org, String object, Map<String, Object> values) throws Exception {
        HttpResponse<String> response = post("/services/data/v59.0/sobjects/" + object, org,
                JSON.writeValueAsString(values));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return JSON.readTree(response.body()).get("id").asText();
    }

    private static JsonNode deliveries(Org org, String messageId) throws Exception {
        HttpResponse<String> response = get("/setup/outbound-messages/" + messageId + "/deliveries", org);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static String definition(String name, String object, String endpoint, List<String> fields)
            throws Exception {
        Map<String, Object> body = new HashMap<>();
        body.put("name", name);
        body.put("object", object);
        body.put("endpointUrl", endpoint);
        body.put("fields", fields);
        return JSON.writeValueAsString(body);
    }

    private static HttpResponse<String> get(String path, Org org) throws Exception {
        return send(request(path, org).GET());
    }

    private static HttpResponse<String> delete(String path, Org org) throws Exception {
        return send(request(path, org).DELETE());
    }

    private static HttpResponse<String> post(String path, Org org, String json) throws Exception {
        return send(request(path, org).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    private static HttpResponse<String> patch(String path, Org org, String json) throws Exception {
        return send(request(path, org).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(json)));
    }

    private static HttpRequest.Builder request(String path, Org org) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(sandbox + path)).timeout(WAIT);
        return org == null ? builder : builder.header("Authorization", "Bearer " + org.token());
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertError(HttpResponse<String> response, int status, String errorCode) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        JsonNode errors = JSON.readTree(response.body());
        assertThat(errors.isArray()).isTrue();
        assertThat(errors).hasSize(1);
        assertThat(errors.get(0).get("errorCode").asText()).isEqualTo(errorCode);
        assertThat(errors.get(0).get("message").asText()).isNotBlank();
    }

    private static List<String> names(JsonNode array) {
        List<String> names = new ArrayList<>();
        array.forEach(n -> names.add(n.asText()));
        return names;
    }

    // ------------------------------------------------------------------ DOM

    private static List<Element> children(Element parent) {
        List<Element> out = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                out.add(e);
            }
        }
        return out;
    }

    private static Element child(Element parent, String namespace, String localName) {
        return children(parent).stream()
                .filter(e -> namespace.equals(e.getNamespaceURI()) && localName.equals(e.getLocalName()))
                .findFirst().orElseThrow(() -> new AssertionError("no " + localName + " in " + parent.getTagName()));
    }

    private static String text(Element parent, String localName) {
        return child(parent, OUTBOUND, localName).getTextContent();
    }

    private static String text(Element parent, String namespace, String localName) {
        return child(parent, namespace, localName).getTextContent();
    }
}
