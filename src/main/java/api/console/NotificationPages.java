package api.console;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestParam;

import api.ApiErrors;
import api.ApiException;
import api.NotificationChannelController;
import api.NotificationChannelController.ChannelView;
import api.NotificationTemplateController;
import hub.InvalidInputException;
import hub.RefusalException;
import processors.events.EventCatalog;
import processors.notifications.ChannelRequest;
import processors.notifications.NotificationChannels;
import processors.notifications.NotificationTemplates;
import processors.notifications.Severity;
import security.Caller;
import store.Integration;
import store.IntegrationStore;
import store.Notification;
import store.NotificationChannel;
import store.NotificationTemplate;
import store.Page;

/**
 * Operator notifications: the channels (Slack bot, Slack webhook, Teams Workflows) with their rules, created, changed,
 * deleted and sent a test message; the delivery history; the tenant's templates. The tenant's channels are the
 * {@code tenant} scope ({@code /api/tenant/...}); the administrator's hub-wide ones the {@code hub} scope
 * ({@code /api/admin/...}). Every action goes through the REST API's controllers with the signed-in person as the caller;
 * secrets (bot token, webhook URL) are taken, never shown back, not even in a refused form.
 */
@Controller
public class NotificationPages {

    static final String BASE = ConsoleAccessFilter.PREFIX + "/notifications";
    /** The inputs that take secrets: never echoed into a page. */
    private static final Set<String> SECRETS = Set.of("botToken", "webhookUrl", "apiUrl");
    private static final List<String> CHANNEL_INPUTS = List.of("name", "slackChannel", "botToken", "apiUrl", "webhookUrl", "eventTypes",
            "minSeverity", "integrations", "groupWaitSeconds", "groupIntervalSeconds", "repeatIntervalSeconds", "quietHours.start",
            "quietHours.end", "quietHours.timeZone", "enabled");
    private static final List<String> TEMPLATE_INPUTS = List.of("title", "text", "example");

    private final ConsolePages pages;
    private final NotificationChannelController channels;
    private final NotificationTemplateController templates;
    private final EventCatalog catalog;
    private final IntegrationStore integrations;

    public NotificationPages(ConsolePages pages, NotificationChannelController channels, NotificationTemplateController templates,
                             EventCatalog catalog, IntegrationStore integrations) {
        this.pages = pages;
        this.channels = channels;
        this.templates = templates;
        this.catalog = catalog;
        this.integrations = integrations;
    }

    /** Whose channels: the tenant's in view, or the administrator's hub-wide ones. */
    enum Scope {
        TENANT, HUB;

        static Scope of(String path) {
            return path.equals("hub") ? HUB : TENANT;
        }

        String path() {
            return this == HUB ? "hub" : "tenant";
        }

        /** The caller the API would see on its TENANT or ADMIN path; refused when the person may not act in this scope. */
        Caller caller(ConsoleUser user) {
            if (this == HUB) {
                if (!user.admin()) {
                    throw new ConsoleRefusal(HttpStatus.FORBIDDEN, "hub-wide notification channels are the administrator's");
                }
                return Caller.administrator();
            }
            ConsolePages.requireTenant(user);
            return user.caller();
        }
    }

    /** A test send's answer, shown by the channel it was for. */
    public record Tested(String channelId, NotificationChannels.TestResult result) {
    }

    // ------------------------------------------------------------------------------------------------ channels

    @GetMapping(BASE)
    public String list(@RequestAttribute(ConsoleUser.SESSION_ATTRIBUTE) ConsoleUser user, Model model) {
        return listPage(user, model, null);
    }

    @PostMapping(BASE + "/{scope:tenant|hub}/channels/{id}/test")
    public String test(@RequestAttribute(ConsoleUser.SESSION_ATTRIBUTE) ConsoleUser user, @PathVariable String scope, @PathVariable String id,
                       Model model) {
        NotificationChannels.TestResult result = channels.test(Scope.of(scope).caller(user), id);
        return listPage(user, model, new Tested(id, result));
    }

    @PostMapping(BASE + "/{scope:tenant|hub}/channels/{id}/delete")
    public String delete(@RequestAttribute(ConsoleUser.SESSION_ATTRIBUTE) ConsoleUser user, @PathVariable String scope, @PathVariable String id) {
        channels.delete(Scope.of(scope).caller(user), id);
        return "redirect:" + BASE + "?deleted=1";
    }

    @GetMapping(BASE + "/{scope:tenant|hub}/channels/new")
    public String newChannel(@RequestAttribute(ConsoleUser.SESSION_ATTRIBUTE) ConsoleUser user, @PathVariable String scope,
                             @RequestParam(defaultValue = "slack_webhook") String type, Model model) {
        Scope s = Scope.of(scope);
        s.caller(user);
        NotificationChannel.Kind kind = NotificationChannel.Kind.of(type);
        if (kind == null) {
            throw new ConsoleRefusal(HttpStatus.BAD_REQUEST, "type: must be slack_bot, slack_webhook or teams_workflow");
        }
        Map<String, String> values = new LinkedHashMap<>();
        values.put("minSeverity", Severity.WARNING.value());
        values.put("enabled", "true");
        return channelForm(user, model, s, kind.value(), null, values);
    }

    @PostMapping(BASE + "/{scope:tenant|hub}/channels")
    public String create(@RequestAttribute(ConsoleUser.SESSION_ATTRIBUTE) ConsoleUser user, @PathVariable String scope,
                         @RequestParam MultiValueMap<String, String> form, HttpServletResponse response, Model model) {
        Scope s = Scope.of(scope);
        Caller caller = s.caller(user);
        Map<String, String> typed = channelTyped(form);
        String type = typed.getOrDefault("type", "");
        try {
            ChannelView created = channels.create(caller, channelRequest(typed, type, true));
            return "redirect:" + BASE + "?saved=" + created.id();
        } catch (RuntimeException e) {
            refused(e, typed, response, model);
            return channelForm(user, model, s, type, null, Map.of());
        }
    }

    @GetMapping(BASE + "/{scope:tenant|hub}/channels/{id}")
    public String channel(@RequestAttribute(ConsoleUser.SESSION_ATTRIBUTE) ConsoleUser user, @PathVariable String scope, @PathVariable String id,
                          Model model) {
        Scope s = Scope.of(scope);
        ChannelView channel = channels.get(s.caller(user), id);
        return channelForm(user, model, s, channel.type(), channel, values(channel));
    }

    @PostMapping(BASE + "/{scope:tenant|hub}/channels/{id}")
    public String update(@RequestAttribute(ConsoleUser.SESSION_ATTRIBUTE) ConsoleUser user, @PathVariable String scope, @PathVariable String id,
                         @RequestParam MultiValueMap<String, String> form, HttpServletResponse response, Model model) {
        Scope s = Scope.of(scope);
        Caller caller = s.caller(user);
        ChannelView current = channels.get(caller, id);
        Map<String, String> typed = channelTyped(form);
        try {
            channels.update(caller, id, channelRequest(typed, current.type(), false));
            return "redirect:" + BASE + "?saved=" + id;
        } catch (RuntimeException e) {
            refused(e, typed, response, model);
            return channelForm(user, model, s, current.type(), current, values(current));
        }
    }

    @GetMapping(BASE + "/{scope:tenant|hub}/history")
    public String history(@RequestAttribute(ConsoleUser.SESSION_ATTRIBUTE) ConsoleUser user, @PathVariable String scope,
                          @RequestParam(required = false) String status, @RequestParam(required = false) String cursor, Model model) {
        Scope s = Scope.of(scope);
        Caller caller = s.caller(user);
        pages.common(user, model, "notifications");
        String wanted = status == null || status.isBlank() ? null : status;
        Page<Notification> page = channels.history(caller, wanted, cursor, ConsolePages.PAGE_SIZE);
        model.addAttribute("scope", s.path());
        model.addAttribute("page", page);
        model.addAttribute("status", wanted == null ? "" : wanted);
        model.addAttribute("statuses", List.of(Notification.PENDING, Notification.SENT, Notification.FAILED));
        model.addAttribute("channelNames", channels.list(caller).items().stream()
                .collect(Collectors.toMap(ChannelView::id, ChannelView::name)));
        return "console/notification-history";
    }

    // ------------------------------------------------------------------------------------------------ templates

    /** One event type's template as the list shows it: the one in use, and whether the tenant replaced the built-in one. */
    public record TemplateRow(String eventType, NotificationTemplate template, boolean custom) {
    }

    @GetMapping(BASE + "/templates")
    public String templateList(@RequestAttribute(ConsoleUser.SESSION_ATTRIBUTE) ConsoleUser user, Model model) {
        pages.common(user, model, "notifications");
        Caller caller = Scope.TENANT.caller(user);
        Set<String> own = templates.list(caller).items().stream().map(NotificationTemplate::eventType).collect(Collectors.toSet());
        List<TemplateRow> rows = new ArrayList<>();
        for (String type : templateTypes()) {
            rows.add(new TemplateRow(type, templates.get(caller, type), own.contains(type)));
        }
        model.addAttribute("rows", rows);
        return "console/notification-templates";
    }

    @GetMapping(BASE + "/templates/{eventType}")
    public String template(@RequestAttribute(ConsoleUser.SESSION_ATTRIBUTE) ConsoleUser user, @PathVariable String eventType, Model model) {
        Caller caller = Scope.TENANT.caller(user);
        return templateForm(user, model, caller, eventType);
    }

    @PostMapping(BASE + "/templates/{eventType}")
    public String saveTemplate(@RequestAttribute(ConsoleUser.SESSION_ATTRIBUTE) ConsoleUser user, @PathVariable String eventType,
                               @RequestParam MultiValueMap<String, String> form, HttpServletResponse response, Model model) {
        Caller caller = Scope.TENANT.caller(user);
        Map<String, String> typed = typed(form);
        try {
            templates.put(caller, eventType, new NotificationTemplateController.TemplateRequest(typed.get("title"), typed.get("text"),
                    typed.get("example")));
            return "redirect:" + BASE + "/templates?saved=" + eventType;
        } catch (RuntimeException e) {
            refused(e, typed, response, model);
            return templateForm(user, model, caller, eventType);
        }
    }

    @PostMapping(BASE + "/templates/{eventType}/reset")
    public String resetTemplate(@RequestAttribute(ConsoleUser.SESSION_ATTRIBUTE) ConsoleUser user, @PathVariable String eventType) {
        templates.delete(Scope.TENANT.caller(user), eventType);
        return "redirect:" + BASE + "/templates?reset=" + eventType;
    }

    // ------------------------------------------------------------------------------------------------ shared

    /**
     * A refusal of a form: a 400 (the API's own or the domain's, naming the field) goes back to the form with the typed
     * values (secrets left out) and the status set; anything else is not the form's business and goes on to
     * {@link ConsoleErrors}.
     */
    static void refused(RuntimeException e, Map<String, String> typed, HttpServletResponse response, Model model) {
        ApiException refusal = e instanceof ApiException api ? api
                : e instanceof RefusalException domain ? new ApiException(ApiErrors.status(domain), domain.getMessage(), domain.field()) : null;
        if (refusal == null || refusal.status() != HttpStatus.BAD_REQUEST) {
            throw e;
        }
        Map<String, String> kept = new LinkedHashMap<>(typed);
        SECRETS.forEach(kept::remove);
        FormRefusal.of(refusal, kept).addTo(model);
        response.setStatus(HttpStatus.BAD_REQUEST.value());
    }

    /** The form's values, one string a name (several values of a name, such as checked boxes, joined by commas). */
    static Map<String, String> typed(MultiValueMap<String, String> form) {
        Map<String, String> typed = new LinkedHashMap<>();
        form.forEach((name, values) -> typed.put(name, String.join(",", values)));
        return typed;
    }

    /** The channel form's values: an unticked box is absent from the form, so it is said to be off. */
    private static Map<String, String> channelTyped(MultiValueMap<String, String> form) {
        Map<String, String> typed = typed(form);
        typed.putIfAbsent("enabled", "false");
        typed.putIfAbsent("integrations", "");
        return typed;
    }

    /** A list input: items separated by commas, spaces or new lines. */
    static List<String> items(String text) {
        return text == null ? List.of() : Arrays.stream(text.split("[,\\s]+")).filter(s -> !s.isBlank()).toList();
    }

    static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    private String listPage(ConsoleUser user, Model model, Tested tested) {
        pages.common(user, model, "notifications");
        if (user.hasTenant()) {
            model.addAttribute("tenantChannels", channels.list(user.caller()).items());
        }
        if (user.admin()) {
            model.addAttribute("hubChannels", channels.list(Caller.administrator()).items());
        }
        model.addAttribute("tested", tested);
        model.addAttribute("types", NotificationChannel.Kind.values());
        return "console/notifications";
    }

    private String channelForm(ConsoleUser user, Model model, Scope scope, String type, ChannelView channel, Map<String, String> values) {
        pages.common(user, model, "notifications");
        NotificationChannel.Kind kind = NotificationChannel.Kind.of(type);
        model.addAttribute("scope", scope.path());
        model.addAttribute("type", type);
        model.addAttribute("kind", kind);
        model.addAttribute("channel", channel);
        model.addAttribute("values", values);
        model.addAttribute("inputs", CHANNEL_INPUTS);
        model.addAttribute("severities", Arrays.stream(Severity.values()).map(Severity::value).toList());
        model.addAttribute("eventTypes", catalog.all().stream().map(EventCatalog.EventType::type).toList());
        FormRefusal refusal = (FormRefusal) model.getAttribute(FormRefusal.ATTRIBUTE);
        String chosen = refusal == null ? values.getOrDefault("integrations", "") : refusal.value("integrations", values.getOrDefault("integrations", ""));
        model.addAttribute("chosenIntegrations", items(chosen));
        if (scope == Scope.TENANT) {
            model.addAttribute("tenantIntegrations", integrations.list(user.tenantId(), null, 500).items());
        }
        return "console/notification-channel";
    }

    /** What a form's values ask of the API: on a change, blank secrets keep the stored ones and blank periods the current. */
    private static ChannelRequest channelRequest(Map<String, String> f, String type, boolean creating) {
        NotificationChannel.Kind kind = NotificationChannel.Kind.of(type);
        boolean bot = kind == NotificationChannel.Kind.SLACK_BOT;
        String start = blankToNull(f.get("quietHours.start"));
        String end = blankToNull(f.get("quietHours.end"));
        ChannelRequest.QuietHoursRequest quiet = creating && start == null && end == null ? null
                : new ChannelRequest.QuietHoursRequest(start, end, blankToNull(f.get("quietHours.timeZone")));
        return new ChannelRequest(f.getOrDefault("name", ""), creating ? type : null, bot ? f.getOrDefault("slackChannel", "") : null,
                bot ? blankToNull(f.get("botToken")) : null, bot ? blankToNull(f.get("apiUrl")) : null,
                bot ? null : blankToNull(f.get("webhookUrl")), items(f.get("eventTypes")), blankToNull(f.get("minSeverity")),
                items(f.get("integrations")), seconds(f, "groupWaitSeconds"), seconds(f, "groupIntervalSeconds"),
                seconds(f, "repeatIntervalSeconds"), quiet, "true".equals(f.get("enabled")));
    }

    private static Integer seconds(Map<String, String> f, String field) {
        String value = blankToNull(f.get(field));
        if (value == null) {
            return null;
        }
        try {
            return Integer.valueOf(value);
        } catch (NumberFormatException e) {
            throw new InvalidInputException(field, "must be a whole number of seconds");
        }
    }

    /** A channel's settings as the form's inputs show them (no secret: only whether one is stored). */
    private static Map<String, String> values(ChannelView c) {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("name", c.name());
        v.put("slackChannel", c.slackChannel() == null ? "" : c.slackChannel());
        v.put("eventTypes", String.join(", ", c.eventTypes()));
        v.put("minSeverity", c.minSeverity());
        v.put("integrations", String.join(",", c.integrations()));
        v.put("groupWaitSeconds", Integer.toString(c.grouping().groupWaitSeconds()));
        v.put("groupIntervalSeconds", Integer.toString(c.grouping().groupIntervalSeconds()));
        v.put("repeatIntervalSeconds", Integer.toString(c.grouping().repeatIntervalSeconds()));
        v.put("quietHours.start", c.quietHours() == null ? "" : c.quietHours().start());
        v.put("quietHours.end", c.quietHours() == null ? "" : c.quietHours().end());
        v.put("quietHours.timeZone", c.quietHours() == null ? "" : c.quietHours().timeZone());
        v.put("enabled", Boolean.toString(c.enabled()));
        return v;
    }

    private String templateForm(ConsoleUser user, Model model, Caller caller, String eventType) {
        pages.common(user, model, "notifications");
        NotificationTemplate template = templates.get(caller, eventType);
        boolean custom = templates.list(caller).items().stream().anyMatch(t -> t.eventType().equals(eventType));
        model.addAttribute("eventType", eventType);
        model.addAttribute("template", template);
        model.addAttribute("custom", custom);
        model.addAttribute("inputs", TEMPLATE_INPUTS);
        return "console/notification-template";
    }

    /** The types a template can be set for: every type of the catalog, the hub's own two, and {@code *} for the rest. */
    private List<String> templateTypes() {
        List<String> types = new ArrayList<>(catalog.all().stream().map(EventCatalog.EventType::type).toList());
        types.add(NotificationTemplates.CHANNEL_UNHEALTHY);
        types.add(NotificationTemplates.TEST);
        types.add(NotificationTemplates.ANY);
        return types;
    }
}
