package api.console;

import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import api.OutgoingWebhookController;
import hub.InvalidInputException;
import hub.ShardTypes;
import processors.events.EventCatalog;
import processors.outgoing.OutgoingEndpoints;
import security.Caller;
import store.OutgoingEndpoint;
import store.OutgoingMessage;

/**
 * The tenant's outgoing webhook endpoints: listed, created, changed (enabled, disabled), deleted, the signing secret
 * rotated; the endpoint's messages and their attempts (status, response code, next attempt) and replay. Everything goes
 * through {@link OutgoingWebhookController}. The signing secret is shown once, on the page answering the creation or the
 * rotation (not cached), and never again.
 */
@Controller
public class WebhookEndpointPages {

    static final String BASE = ConsoleAccessFilter.PREFIX + "/webhook-endpoints";
    private static final List<String> INPUTS = List.of("url", "description", "eventTypes", "shardTypes", "enabled");
    private static final int ATTEMPTS_SHOWN = 20;

    private final ConsolePages pages;
    private final OutgoingWebhookController api;
    private final EventCatalog catalog;

    public WebhookEndpointPages(ConsolePages pages, OutgoingWebhookController api, EventCatalog catalog) {
        this.pages = pages;
        this.api = api;
        this.catalog = catalog;
    }

    /** The flash attribute carrying a new secret to the one page view that shows it. */
    private static final String SECRET = "secret";

    /** A secret the page shows this once: the new one, and until when the replaced one still signs (null on creation). */
    public record ShownSecret(String secret, Object previousSecretValidUntil) {
    }

    @GetMapping(BASE)
    public String list(@RequestAttribute(ConsoleUser.SESSION_ATTRIBUTE) ConsoleUser user, @RequestParam(required = false) String cursor,
                       Model model) {
        Caller caller = caller(user);
        pages.common(user, model, "webhook-endpoints");
        model.addAttribute("page", api.list(caller, ConsolePages.PAGE_SIZE, cursor));
        return "console/webhook-endpoints";
    }

    @GetMapping(BASE + "/new")
    public String newEndpoint(@RequestAttribute(ConsoleUser.SESSION_ATTRIBUTE) ConsoleUser user, Model model) {
        caller(user);
        return form(user, model, null, Map.of("eventTypes", "shard.*", "enabled", "true"));
    }

    @PostMapping(BASE)
    public String create(@RequestAttribute(ConsoleUser.SESSION_ATTRIBUTE) ConsoleUser user, @RequestParam MultiValueMap<String, String> form,
                         HttpServletResponse response, Model model, RedirectAttributes redirect) {
        Caller caller = caller(user);
        Map<String, String> typed = typed(form);
        ResponseEntity<Map<String, Object>> created;
        try {
            created = api.create(caller, request(typed, null));
        } catch (RuntimeException e) {
            NotificationPages.refused(e, typed, response, model);
            return form(user, model, null, Map.of());
        }
        Map<String, Object> body = created.getBody();
        String id = String.valueOf(body.get("id"));
        // shown on the page the browser is sent to, once: a reload of that page neither shows it again nor creates another
        redirect.addFlashAttribute(SECRET, new ShownSecret(String.valueOf(body.get("secret")), null));
        return "redirect:" + BASE + "/" + id;
    }

    @GetMapping(BASE + "/{id}")
    public String endpoint(@RequestAttribute(ConsoleUser.SESSION_ATTRIBUTE) ConsoleUser user, @PathVariable String id,
                           @RequestParam(required = false) String status, HttpServletResponse response, Model model) {
        return endpointPage(user, caller(user), id, status, (ShownSecret) model.getAttribute(SECRET), response, model);
    }

    @PostMapping(BASE + "/{id}")
    public String update(@RequestAttribute(ConsoleUser.SESSION_ATTRIBUTE) ConsoleUser user, @PathVariable String id,
                         @RequestParam MultiValueMap<String, String> form, HttpServletResponse response, Model model) {
        Caller caller = caller(user);
        OutgoingEndpoint current = api.get(caller, id);
        Map<String, String> typed = typed(form);
        typed.putIfAbsent("enabled", "false");
        try {
            api.update(caller, id, request(typed, current));
            return "redirect:" + BASE + "/" + id + "?saved=1";
        } catch (RuntimeException e) {
            NotificationPages.refused(e, typed, response, model);
            return endpointPage(user, caller, id, null, null, response, model);
        }
    }

    @PostMapping(BASE + "/{id}/rotate-secret")
    public String rotate(@RequestAttribute(ConsoleUser.SESSION_ATTRIBUTE) ConsoleUser user, @PathVariable String id,
                         RedirectAttributes redirect) {
        Map<String, Object> rotated = api.rotate(caller(user), id);
        redirect.addFlashAttribute(SECRET, new ShownSecret(String.valueOf(rotated.get("secret")), rotated.get("previousSecretValidUntil")));
        return "redirect:" + BASE + "/" + id;
    }

    @PostMapping(BASE + "/{id}/delete")
    public String delete(@RequestAttribute(ConsoleUser.SESSION_ATTRIBUTE) ConsoleUser user, @PathVariable String id) {
        api.delete(caller(user), id);
        return "redirect:" + BASE + "?deleted=1";
    }

    @GetMapping(BASE + "/{id}/messages/{messageId}")
    public String message(@RequestAttribute(ConsoleUser.SESSION_ATTRIBUTE) ConsoleUser user, @PathVariable String id,
                          @PathVariable String messageId, Model model) {
        Caller caller = caller(user);
        pages.common(user, model, "webhook-endpoints");
        model.addAttribute("endpoint", api.get(caller, id));
        OutgoingMessage message = api.message(caller, id, messageId);
        model.addAttribute("m", message);
        model.addAttribute("attempts", api.attempts(caller, id, messageId, 100, null).items());
        return "console/webhook-message";
    }

    /** Replays one message ({@code messageId}) or every failed one since a time ({@code since}, UTC). */
    @PostMapping(BASE + "/{id}/replay")
    public String replay(@RequestAttribute(ConsoleUser.SESSION_ATTRIBUTE) ConsoleUser user, @PathVariable String id,
                         @RequestParam MultiValueMap<String, String> form, HttpServletResponse response, Model model) {
        Caller caller = caller(user);
        Map<String, String> typed = typed(form);
        String messageId = NotificationPages.blankToNull(typed.get("messageId"));
        try {
            OffsetDateTime since = messageId != null ? null : since(typed.get("since"));
            ResponseEntity<Map<String, Object>> replayed = api.replay(caller, id, new OutgoingWebhookController.ReplayRequest(messageId, since));
            return "redirect:" + (messageId != null ? BASE + "/" + id + "/messages/" + messageId + "?replayed=1"
                    : BASE + "/" + id + "?replayed=" + replayed.getBody().get("replayed"));
        } catch (RuntimeException e) {
            NotificationPages.refused(e, typed, response, model);
            return endpointPage(user, caller, id, null, null, response, model);
        }
    }

    private String endpointPage(ConsoleUser user, Caller caller, String id, String status, ShownSecret secret, HttpServletResponse response,
                                Model model) {
        OutgoingEndpoint endpoint = api.get(caller, id);
        if (secret != null) {
            // the secret is on this answer only: no cache keeps it
            response.setHeader("Cache-Control", "no-store");
            model.addAttribute("secret", secret);
        }
        String wanted = NotificationPages.blankToNull(status);
        model.addAttribute("messages", api.messages(caller, id, wanted, ConsolePages.PAGE_SIZE, null));
        model.addAttribute("attempts", api.attempts(caller, id, null, ATTEMPTS_SHOWN, null).items());
        model.addAttribute("status", wanted == null ? "" : wanted);
        model.addAttribute("statuses", OutgoingMessage.Status.values());
        return form(user, model, endpoint, values(endpoint));
    }

    private String form(ConsoleUser user, Model model, OutgoingEndpoint endpoint, Map<String, String> values) {
        pages.common(user, model, "webhook-endpoints");
        model.addAttribute("endpoint", endpoint);
        model.addAttribute("values", values);
        model.addAttribute("inputs", INPUTS);
        model.addAttribute("allShardTypes", ShardTypes.ALL);
        FormRefusal refusal = (FormRefusal) model.getAttribute(FormRefusal.ATTRIBUTE);
        String chosen = values.getOrDefault("shardTypes", "");
        model.addAttribute("chosenShardTypes", NotificationPages.items(refusal == null ? chosen : refusal.value("shardTypes", chosen)));
        model.addAttribute("eventTypes", catalog.all().stream().map(EventCatalog.EventType::type).toList());
        return endpoint == null ? "console/webhook-endpoint-new" : "console/webhook-endpoint";
    }

    /** What the form asks of the API; on a change, {@code enabled} only when it differs (so a change of URL does not enable). */
    private static OutgoingEndpoints.Request request(Map<String, String> f, OutgoingEndpoint current) {
        Boolean enabled = current == null ? null : "true".equals(f.get("enabled"));
        return new OutgoingEndpoints.Request(f.getOrDefault("url", ""), NotificationPages.items(f.get("eventTypes")),
                NotificationPages.items(f.get("shardTypes")), f.getOrDefault("description", ""), enabled);
    }

    private static Map<String, String> values(OutgoingEndpoint e) {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("url", e.url());
        v.put("description", e.description() == null ? "" : e.description());
        v.put("eventTypes", String.join(", ", e.eventTypes()));
        v.put("shardTypes", e.shardTypes() == null ? "" : String.join(",", e.shardTypes()));
        v.put("enabled", Boolean.toString(e.enabled()));
        return v;
    }

    private static Map<String, String> typed(MultiValueMap<String, String> form) {
        Map<String, String> typed = NotificationPages.typed(form);
        typed.putIfAbsent("shardTypes", "");
        return typed;
    }

    private static OffsetDateTime since(String text) {
        String value = NotificationPages.blankToNull(text);
        if (value == null) {
            throw new InvalidInputException("since", "give the time (UTC) since which failed messages are sent again");
        }
        try {
            return LocalDateTime.parse(value).atOffset(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new InvalidInputException("since", "not a date and time such as 2026-01-31T08:00");
        }
    }

    private static Caller caller(ConsoleUser user) {
        ConsolePages.requireTenant(user);
        return user.caller();
    }
}
