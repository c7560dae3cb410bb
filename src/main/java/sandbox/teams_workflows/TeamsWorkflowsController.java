package sandbox.teams_workflows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import sandbox.kit.CallAdmission;
import sandbox.kit.TokenText;

/**
 * A Microsoft Teams Workflows webhook (Power Automate "When a Teams webhook request is received" → post a card) as the
 * sandbox serves it, the way Office 365 connectors were replaced.
 *
 * <ul>
 *   <li>{@code POST /sandbox/teams-workflows/powerautomate/automations/direct/workflows/<id>/triggers/manual/paths/invoke
 *       ?api-version=1&sp=/triggers/manual/run&sv=1.0&sig=<sig>} with {@code {"type": "message", "attachments":
 *       [{"contentType": "application/vnd.microsoft.card.adaptive", "content": <card>}]}}: 202 Accepted with an empty body
 *       and the run id ({@code x-ms-workflow-run-id}), as Power Automate answers; the card is then posted, or the run fails
 *       (no Adaptive Card, a message over 28 KB) without the caller learning it, as in Teams. 400 {@code InvalidRequestContent}
 *       (not JSON); 401 {@code DirectApiAuthorizationRequired} (wrong or no {@code sig}); 404 {@code WorkflowNotFound};
 *       429 {@code WorkflowRequestsThrottled} with {@code Retry-After} above the flow's requests a second.</li>
 *   <li>Setup (the flow's {@code sig} as a query parameter): {@code POST /setup/workflows} {@code {"name", "perSecond"}}
 *       answers {@code id}, {@code sig} and the webhook {@code url}; {@code GET /setup/workflows/<id>/runs} every request
 *       with its card, the answer and the run's outcome, and {@code throttled}; {@code POST /setup/workflows/<id>/answers}
 *       {@code {"status", "times", "retryAfter"}} makes the next requests answer that; {@code DELETE /setup/workflows/<id>}
 *       removes the flow (then 404).</li>
 * </ul>
 */
@RestController
@ConditionalOnProperty(name = {"hub.sandbox.enabled", "hub.sandbox.teams-workflows.enabled"}, havingValue = "true")
public class TeamsWorkflowsController {

    static final String BASE = "/sandbox/teams-workflows";
    static final String INVOKE = "/powerautomate/automations/direct/workflows/{id}/triggers/manual/paths/invoke";
    static final String CARD_TYPE = "application/vnd.microsoft.card.adaptive";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, TeamsWorkflow> workflows = new ConcurrentHashMap<>();
    private final Clock clock = Clock.systemUTC();
    private final int defaultPerSecond;

    TeamsWorkflowsController(@Value("${hub.sandbox.teams-workflows.requests-per-second:4}") int defaultPerSecond) {
        this.defaultPerSecond = defaultPerSecond;
    }

    @PostMapping(BASE + INVOKE)
    public ResponseEntity<byte[]> invoke(@PathVariable String id, @RequestParam(required = false) String sig,
                                         @RequestBody(required = false) byte[] body) {
        TeamsWorkflow flow = workflows.get(id);
        if (flow == null) {
            return error(404, "WorkflowNotFound", "The workflow '" + id + "' could not be found.", null);
        }
        if (sig == null || !sig.equals(flow.sig)) {
            return error(401, "DirectApiAuthorizationRequired", "The request must be authenticated only by Shared Access scheme.", null);
        }
        CallAdmission.Admission admission = flow.calls.admit(TeamsWorkflow.RATE);
        if (!admission.allowed()) {
            flow.record(null, 429, false, "throttled");
            return error(429, "WorkflowRequestsThrottled", "Rate limit is exceeded. Try again in " + admission.retryAfterSeconds() + " seconds.",
                    admission.retryAfterSeconds());
        }
        TeamsWorkflow.Queued queued = flow.takeQueued();
        if (queued != null) {
            flow.record(null, queued.status(), false, "answered " + queued.status() + " (queued by setup)");
            return error(queued.status(), queued.status() >= 500 ? "InternalServerError" : "BadRequest", "Queued answer.", queued.retryAfter());
        }
        JsonNode message;
        try {
            message = body == null ? null : JSON.readTree(body);
        } catch (IOException e) {
            message = null;
        }
        if (message == null || !message.isObject()) {
            flow.record(null, 400, false, "not JSON");
            return error(400, "InvalidRequestContent", "The request content is not valid JSON.", null);
        }
        JsonNode attachment = message.path("attachments").path(0);
        JsonNode card = attachment.path("content");
        String failure = null;
        if (!CARD_TYPE.equals(attachment.path("contentType").asText()) || !"AdaptiveCard".equals(card.path("type").asText())) {
            failure = "no Adaptive Card in attachments[0]";
        } else if (body.length > TeamsWorkflow.MAX_MESSAGE_BYTES) {
            failure = "message of " + body.length + " bytes, over Teams' " + TeamsWorkflow.MAX_MESSAGE_BYTES;
        }
        flow.record(card.isMissingNode() ? null : card, 202, failure == null, failure);
        return ResponseEntity.status(202).header("x-ms-workflow-run-id", TokenText.urlSafe(20))
                .header("x-ms-workflow-name", flow.id).body(new byte[0]);
    }

    @PostMapping(BASE + "/setup/workflows")
    public ResponseEntity<byte[]> create(@RequestBody(required = false) byte[] body, HttpServletRequest request) throws IOException {
        JsonNode root = body == null || body.length == 0 ? JSON.createObjectNode() : JSON.readTree(body);
        int perSecond = root.path("perSecond").asInt(defaultPerSecond);
        if (perSecond < 1 || perSecond > 1000) {
            return error(400, "InvalidArguments", "perSecond: between 1 and 1000", null);
        }
        TeamsWorkflow flow = new TeamsWorkflow(UUID.randomUUID().toString().replace("-", ""), root.path("name").asText("sandbox flow"),
                TokenText.urlSafe(32), perSecond, clock);
        workflows.put(flow.id, flow);
        String base = request.getRequestURL().toString();
        base = base.substring(0, base.indexOf(BASE));
        String url = base + BASE + INVOKE.replace("{id}", flow.id) + "?api-version=1&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=" + flow.sig;
        ObjectNode answer = JSON.createObjectNode().put("id", flow.id).put("sig", flow.sig).put("url", url).put("perSecond", perSecond);
        return json(200, answer);
    }

    @GetMapping(BASE + "/setup/workflows/{id}/runs")
    public ResponseEntity<byte[]> runs(@PathVariable String id, @RequestParam(required = false) String sig) {
        TeamsWorkflow flow = owned(id, sig);
        if (flow == null) {
            return error(404, "WorkflowNotFound", "no such workflow (or wrong sig)", null);
        }
        ObjectNode answer = JSON.createObjectNode().put("id", flow.id);
        ArrayNode runs = answer.putArray("runs");
        int throttled = 0;
        for (TeamsWorkflow.Run run : flow.runs()) {
            ObjectNode node = runs.addObject().put("status", run.status()).put("posted", run.posted()).put("at", run.at().toString());
            node.set("card", run.card());
            if (run.failure() != null) {
                node.put("failure", run.failure());
            }
            throttled += run.status() == 429 ? 1 : 0;
        }
        answer.put("throttled", throttled);
        return json(200, answer);
    }

    @PostMapping(BASE + "/setup/workflows/{id}/answers")
    public ResponseEntity<byte[]> queue(@PathVariable String id, @RequestParam(required = false) String sig,
                                        @RequestBody(required = false) byte[] body) throws IOException {
        TeamsWorkflow flow = owned(id, sig);
        if (flow == null) {
            return error(404, "WorkflowNotFound", "no such workflow (or wrong sig)", null);
        }
        JsonNode root = body == null || body.length == 0 ? JSON.createObjectNode() : JSON.readTree(body);
        int status = root.path("status").asInt(0);
        if (status < 300 || status > 599) {
            return error(400, "InvalidArguments", "status: an HTTP status from 300 to 599", null);
        }
        flow.queue(new TeamsWorkflow.Queued(status, root.path("times").asInt(1), root.hasNonNull("retryAfter") ? root.path("retryAfter").asLong() : null));
        return json(200, JSON.createObjectNode().put("status", status).put("times", root.path("times").asInt(1)));
    }

    @DeleteMapping(BASE + "/setup/workflows/{id}")
    public ResponseEntity<byte[]> remove(@PathVariable String id, @RequestParam(required = false) String sig) {
        TeamsWorkflow flow = owned(id, sig);
        if (flow == null) {
            return error(404, "WorkflowNotFound", "no such workflow (or wrong sig)", null);
        }
        workflows.remove(id);
        return ResponseEntity.noContent().build();
    }

    private TeamsWorkflow owned(String id, String sig) {
        TeamsWorkflow flow = workflows.get(id);
        return flow != null && flow.sig.equals(sig) ? flow : null;
    }

    private static ResponseEntity<byte[]> error(int status, String code, String message, Long retryAfter) {
        ObjectNode body = JSON.createObjectNode();
        body.putObject("error").put("code", code).put("message", message);
        ResponseEntity.BodyBuilder answer = ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON);
        if (retryAfter != null) {
            answer.header(HttpHeaders.RETRY_AFTER, Long.toString(retryAfter));
        }
        return answer.body(body.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static ResponseEntity<byte[]> json(int status, ObjectNode body) {
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON).body(body.toString().getBytes(StandardCharsets.UTF_8));
    }
}
