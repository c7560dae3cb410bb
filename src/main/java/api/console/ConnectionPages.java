package api.console;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestParam;

import api.ApiErrors;
import api.ApiException;
import api.IntegrationController;
import api.IntegrationRequest;
import api.IntegrationSettings;
import api.IntegrationView;
import api.OAuthController;
import api.RateLimitController;
import connections.Connections;
import connections.oauth.AuthorizationStart;
import connections.oauth.OAuthConnectRequest;
import hub.RefusalException;
import processors.webhooks.WebhookRegistrations;
import providers.AdapterRegistry;
import providers.ConnectionTestResult;
import providers.ProviderDescriptor;
import providers.ProviderDescriptor.CredentialField;
import security.CredentialTypes;
import store.Connection;
import store.ConnectionStore;
import store.Integration;
import store.IntegrationStore;
import store.ProviderCatalog;
import store.WebhookRegistration;
import store.WebhookRegistrationStore;

/**
 * Connections: each integration's connection (status, auth type, credential age and rotation due, expiry, last test
 * and error) with test and disconnect, the provider catalog and a new integration of one of its providers; and one
 * integration's connection page: connect it (the OAuth authorization-code flow, which comes back to the page, or a form
 * made from the credential type's fields), its webhook registrations and their health, its rate limits and circuit,
 * and its settings. Every action goes through the REST API's own controllers and services (same validation, tenant
 * checks and audit); a 400 is shown by the field it names with what was typed, never a secret.
 */
@Controller
public class ConnectionPages {

    static final String OAUTH_TYPE = CredentialTypes.OAUTH2_AUTHORIZATION_CODE;
    private static final String LIST = ConsoleAccessFilter.PREFIX + "/connections";
    /** What the page says after the OAuth callback brought the browser back ({@code ?oauth=}); anything else says nothing. */
    private static final Map<String, String> OAUTH_OUTCOMES = Map.of(
            "connected", "Connected: the provider's tokens passed their test.",
            "error", "The provider's tokens failed their test; see the last error below.",
            "denied", "The provider refused authorization (or it was cancelled); nothing changed.",
            "failed", "The connection could not be completed (the link expired or was used, or the token exchange failed); start it again.");

    private final ConsolePages pages;
    private final IntegrationStore integrations;
    private final ConnectionStore connections;
    private final Connections service;
    private final ProviderCatalog catalog;
    private final AdapterRegistry adapters;
    private final IntegrationController integrationApi;
    private final IntegrationSettings settings;
    private final OAuthController oauthApi;
    private final RateLimitController rateLimitApi;
    private final WebhookRegistrationStore webhooks;
    private final WebhookRegistrations webhookService;
    private final ObjectMapper json;

    public ConnectionPages(ConsolePages pages, IntegrationStore integrations, ConnectionStore connections, Connections service,
                           ProviderCatalog catalog, AdapterRegistry adapters, IntegrationController integrationApi,
                           IntegrationSettings settings, OAuthController oauthApi, RateLimitController rateLimitApi,
                           WebhookRegistrationStore webhooks, WebhookRegistrations webhookService, ObjectMapper json) {
        this.pages = pages;
        this.integrations = integrations;
        this.connections = connections;
        this.service = service;
        this.catalog = catalog;
        this.adapters = adapters;
        this.integrationApi = integrationApi;
        this.settings = settings;
        this.oauthApi = oauthApi;
        this.rateLimitApi = rateLimitApi;
        this.webhooks = webhooks;
        this.webhookService = webhookService;
        this.json = json;
    }

    /** One integration's connection as the page shows it; {@code rotationDue} from the credential's age and rotation policy. */
    public record ConnectionRow(Integration integration, Connection connection, OffsetDateTime rotationDue) {

        static ConnectionRow of(Integration integration, Connection c) {
            OffsetDateTime due = c == null || c.credentialsSetAt() == null || c.rotationMaxAgeDays() == null ? null
                    : c.credentialsSetAt().plusDays(c.rotationMaxAgeDays());
            return new ConnectionRow(integration, c, due);
        }

        /** The rotation is due within its warning period (or overdue). */
        public boolean rotationWarning() {
            return rotationDue != null && connection.rotationWarnDays() != null
                    && !OffsetDateTime.now().isBefore(rotationDue.minusDays(connection.rotationWarnDays()));
        }
    }

    /** A webhook registration as its page shows it, with the URL the provider sends to. */
    public record WebhookRow(WebhookRegistration registration, String url) {
    }

    /** An entity of the settings form, ticked when it syncs. */
    public record EntityChoice(String entity, boolean checked) {
    }

    /** The settings form's values as the integration has them (structured ones as JSON text). */
    public record SettingsForm(String name, String syncDirection, String syncFrequency, String conflictResolution, String pullFilters,
                               String fieldMappings) {
    }

    // ------------------------------------------------------------------ the list and a new integration

    @GetMapping(LIST)
    public String list(@RequestAttribute(ConsoleUser.SESSION_ATTRIBUTE) ConsoleUser user, @RequestParam(required = false) String provider,
                       Model model) {
        return page(user, model, null, null, provider);
    }

    @PostMapping(LIST)
    public String create(@RequestAttribute(ConsoleUser.SESSION_ATTRIBUTE) ConsoleUser user, @RequestParam Map<String, String> form,
                         Model model, HttpServletResponse response) {
        ConsolePages.requireTenant(user);
        IntegrationView created;
        try {
            created = integrationApi.create(user.caller(), new IntegrationRequest(form.get("providerId"), form.get("name"), null, null,
                    null, null, null, null, null, null, null, null));
        } catch (ApiException | RefusalException e) {
            refused(e, form, field -> field, "new", model, response);
            return page(user, model, null, null, form.get("providerId"));
        }
        return "redirect:" + integrationPage(created.id());
    }

    @PostMapping(LIST + "/{integrationId}/test")
    public String test(@RequestAttribute(ConsoleUser.SESSION_ATTRIBUTE) ConsoleUser user, @PathVariable String integrationId,
                       @RequestParam(required = false) String view, Model model) {
        ConsolePages.requireTenant(user);
        Integration integration = integration(user, integrationId);
        ConnectionTestResult result = service.test(user.caller(), integration);
        if ("integration".equals(view)) {
            model.addAttribute("result", result);
            return integrationPage(user, integration, null, null, model);
        }
        return page(user, model, integrationId, result, null);
    }

    @PostMapping(LIST + "/{integrationId}/disconnect")
    public String disconnect(@RequestAttribute(ConsoleUser.SESSION_ATTRIBUTE) ConsoleUser user, @PathVariable String integrationId,
                             @RequestParam(required = false) String view) {
        ConsolePages.requireTenant(user);
        service.disconnect(user.caller(), integration(user, integrationId));
        return "redirect:" + ("integration".equals(view) ? integrationPage(integrationId) : LIST);
    }

    private String page(ConsoleUser user, Model model, String testedId, ConnectionTestResult result, String provider) {
        pages.common(user, model, "connections");
        ConsolePages.requireTenant(user);
        List<ConnectionRow> rows = new ArrayList<>();
        for (Integration i : integrations.list(user.tenantId(), null, 500).items()) {
            rows.add(ConnectionRow.of(i, connections.find(i.id()).orElse(null)));
        }
        model.addAttribute("rows", rows);
        model.addAttribute("catalog", catalog.list(user.admin()));
        model.addAttribute("testedId", testedId);
        model.addAttribute("result", result);
        model.addAttribute("provider", provider == null ? "" : provider);
        return "console/connections";
    }

    // ------------------------------------------------------------------ one integration's connection page

    @GetMapping(LIST + "/{integrationId}")
    public String connectionPage(@RequestAttribute(ConsoleUser.SESSION_ATTRIBUTE) ConsoleUser user, @PathVariable String integrationId,
                                 @RequestParam(required = false) String type, @RequestParam(required = false) String oauth,
                                 @RequestParam(required = false) String saved, Model model) {
        ConsolePages.requireTenant(user);
        model.addAttribute("saved", "settings".equals(saved));
        model.addAttribute("oauthOutcome", oauth == null ? null : OAUTH_OUTCOMES.get(oauth));
        model.addAttribute("oauthOk", "connected".equals(oauth));
        return integrationPage(user, integration(user, integrationId), type, null, model);
    }

    /** Credentials of a type other than the OAuth flow's, from the form made from its fields. */
    @PostMapping(LIST + "/{integrationId}/connect")
    public String connect(@RequestAttribute(ConsoleUser.SESSION_ATTRIBUTE) ConsoleUser user, @PathVariable String integrationId,
                          @RequestParam Map<String, String> form, Model model, HttpServletResponse response) {
        ConsolePages.requireTenant(user);
        Integration integration = integration(user, integrationId);
        String type = blankToNull(form.get("type"));
        ProviderDescriptor provider = adapters.get(integration.providerId()).descriptor();
        Map<String, String> typed = new LinkedHashMap<>(form);
        Set<String> secret = new TreeSet<>();
        if (type != null) {
            Connections.credentialFields(provider, type).stream().filter(CredentialField::secret)
                    .forEach(f -> secret.add("credentials." + f.name()));
        }
        typed.keySet().removeIf(name -> secret.contains(name) || name.startsWith("credentials.") && !knownField(provider, type, name));
        try {
            Map<String, Object> credentials = new LinkedHashMap<>();
            form.forEach((name, value) -> {
                if (name.startsWith("credentials.") && value != null && !value.isBlank()) {
                    credentials.put(name.substring("credentials.".length()), value);
                }
            });
            IntegrationController.ConnectionResult result = integrationApi.connect(user.caller(), integrationId,
                    new IntegrationController.ConnectRequest(type, credentials, rotation(form)));
            model.addAttribute("result", new ConnectionTestResult(result.ok(), result.message(), null));
        } catch (ApiException | RefusalException e) {
            refused(e, typed, field -> field, "connect", model, response);
        }
        return integrationPage(user, integration, type, null, model);
    }

    /** Starts the OAuth authorization-code flow; the browser goes on to the provider and comes back to this integration's page. */
    @PostMapping(LIST + "/{integrationId}/oauth")
    public String oauth(@RequestAttribute(ConsoleUser.SESSION_ATTRIBUTE) ConsoleUser user, @PathVariable String integrationId,
                        @RequestParam Map<String, String> form, Model model, HttpServletResponse response) {
        ConsolePages.requireTenant(user);
        Integration integration = integration(user, integrationId);
        AuthorizationStart start;
        try {
            start = oauthApi.start(user.caller(), integrationId, new OAuthConnectRequest(form.get("clientId"), form.get("clientSecret"),
                    null, form.get("scope"), form.get("loginUrl"), form.get("loginHint")), integrationPage(integrationId));
        } catch (ApiException | RefusalException e) {
            Map<String, String> typed = new LinkedHashMap<>(form);
            typed.remove("clientSecret");
            refused(e, typed, field -> field, "oauth", model, response);
            return integrationPage(user, integration, OAUTH_TYPE, null, model);
        }
        // a page that goes on to the provider: a redirect answering a form would be held to the page's form-action 'self'
        pages.common(user, model, "connections");
        model.addAttribute("integration", integration);
        model.addAttribute("provider", adapters.get(integration.providerId()).descriptor());
        model.addAttribute("authorizationUrl", start.authorizationUrl());
        return "console/oauth-start";
    }

    @PostMapping(LIST + "/{integrationId}/settings")
    public String saveSettings(@RequestAttribute(ConsoleUser.SESSION_ATTRIBUTE) ConsoleUser user, @PathVariable String integrationId,
                               @RequestParam Map<String, String> form, @RequestParam(required = false) List<String> entities, Model model,
                               HttpServletResponse response) {
        ConsolePages.requireTenant(user);
        Integration integration = integration(user, integrationId);
        List<String> ticked = entities == null ? List.of() : entities;
        try {
            ObjectNode patch = json.createObjectNode();
            for (String field : List.of("name", "syncDirection", "syncFrequency", "conflictResolution")) {
                patch.put(field, form.getOrDefault(field, ""));
            }
            patch.set("pullFilters", jsonField("pullFilters", form.get("pullFilters")));
            patch.set("fieldMappings", jsonField("fieldMappings", form.get("fieldMappings")));
            List<String> syncable = settings.syncableEntities(integration.providerId());
            var mappings = patch.putArray("entityMappings");
            if (!ticked.containsAll(syncable)) {
                syncable.forEach(e -> mappings.addObject().put("entity", e).put("enabled", ticked.contains(e)));
            }
            integrationApi.patch(user.caller(), integrationId, patch);
        } catch (ApiException | RefusalException e) {
            Map<String, String> typed = new LinkedHashMap<>(form);
            typed.put("entities", String.join(",", ticked));
            refused(e, typed, ConnectionPages::settingsInput, "settings", model, response);
            return integrationPage(user, integration, null, ticked, model);
        }
        return "redirect:" + integrationPage(integrationId) + "?saved=settings";
    }

    private String integrationPage(ConsoleUser user, Integration integration, String type, List<String> typedEntities, Model model) {
        pages.common(user, model, "connections");
        ProviderDescriptor provider = adapters.get(integration.providerId()).descriptor();
        Connection connection = connections.find(integration.id()).orElse(null);
        // the type asked for, else the one the integration is connected with, else the provider's first (the API's default)
        String chosen = type != null && provider.authTypes().contains(type) ? type
                : connection != null && provider.authTypes().contains(connection.authType()) ? connection.authType()
                : provider.authTypes().get(0);
        model.addAttribute("integration", integration);
        model.addAttribute("provider", provider);
        model.addAttribute("row", ConnectionRow.of(integration, connection));
        model.addAttribute("type", chosen);
        model.addAttribute("oauthType", OAUTH_TYPE.equals(chosen));
        List<CredentialField> fields = OAUTH_TYPE.equals(chosen) ? List.of() : Connections.credentialFields(provider, chosen);
        model.addAttribute("fields", fields);
        List<String> inputs = new ArrayList<>(fields.stream().map(f -> "credentials." + f.name()).toList());
        inputs.addAll(List.of("rotation.maxAgeDays", "rotation.warnBeforeDays"));
        model.addAttribute("credentialInputs", inputs);
        List<WebhookRow> hooks = webhooks.list(user.tenantId(), integration.id(), null, 100).items().stream()
                .map(r -> new WebhookRow(r, webhookService.url(r))).toList();
        model.addAttribute("webhooks", hooks);
        model.addAttribute("limits", json.convertValue(rateLimitApi.get(user.caller(), integration.id()), Map.class));
        model.addAttribute("settingsForm", settingsForm(integration));
        List<String> syncable = settings.syncableEntities(integration.providerId());
        List<Integration.EntityMapping> current = integration.settings().entityMappings();
        model.addAttribute("entities", syncable.stream().map(e -> new EntityChoice(e, typedEntities != null ? typedEntities.contains(e)
                : current.isEmpty() || current.stream().anyMatch(m -> m.entity().equals(e) && Boolean.TRUE.equals(m.enabled())))).toList());
        model.addAttribute("directions", new TreeSet<>(IntegrationSettings.DIRECTIONS));
        model.addAttribute("strategies", new TreeSet<>(IntegrationSettings.CONFLICT_STRATEGIES));
        return "console/connection";
    }

    private SettingsForm settingsForm(Integration i) {
        return new SettingsForm(i.name(), i.syncDirection(), i.syncFrequency() == null ? "" : i.syncFrequency(), i.conflictResolution(),
                pretty(i.settings().pullFilters()), pretty(i.settings().fieldMappings()));
    }

    private String pretty(Map<String, ?> value) {
        if (value == null || value.isEmpty()) {
            return "";
        }
        try {
            return json.writerWithDefaultPrettyPrinter().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A JSON textarea's value (blank: none); text that is not JSON is refused by the textarea's name. */
    private JsonNode jsonField(String field, String text) {
        if (text == null || text.isBlank()) {
            return json.createObjectNode();
        }
        try {
            return json.readTree(text);
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest(field, "not valid JSON (line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ")");
        }
    }

    /** The settings form's input a refused field belongs to: a filter's or mapping's inner path is its textarea's. */
    private static String settingsInput(String field) {
        for (String textarea : List.of("pullFilters", "fieldMappings")) {
            if (field.startsWith(textarea + ".") || field.startsWith(textarea + "[")) {
                return textarea;
            }
        }
        return field.startsWith("entityMappings") ? "entities" : field;
    }

    private static IntegrationController.RotationRequest rotation(Map<String, String> form) {
        String maxAge = blankToNull(form.get("rotation.maxAgeDays"));
        String warn = blankToNull(form.get("rotation.warnBeforeDays"));
        if (maxAge == null && warn == null) {
            return null;
        }
        return new IntegrationController.RotationRequest(days("rotation.maxAgeDays", maxAge), days("rotation.warnBeforeDays", warn));
    }

    private static Integer days(String field, String value) {
        if (value == null) {
            return null;
        }
        try {
            return Integer.valueOf(value.trim());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(field, "must be a whole number of days");
        }
    }

    private static boolean knownField(ProviderDescriptor provider, String type, String name) {
        return type != null && Connections.credentialFields(provider, type).stream().anyMatch(f -> name.equals("credentials." + f.name()));
    }

    /**
     * A 400 from the API shown on the form it refused ({@code form}: which of the page's forms), by the input {@code input}
     * maps its field to, with what was typed; anything else goes on to the error page.
     */
    private static void refused(RuntimeException e, Map<String, String> typed, java.util.function.UnaryOperator<String> input, String form,
                                Model model, HttpServletResponse response) {
        HttpStatus status = e instanceof ApiException api ? api.status() : ApiErrors.status((RefusalException) e);
        if (status != HttpStatus.BAD_REQUEST) {
            throw e;
        }
        String field = e instanceof ApiException api ? api.field() : ((RefusalException) e).field();
        FormRefusal refusal = FormRefusal.of(new ApiException(status, e.getMessage(), field), typed);
        new FormRefusal(field == null ? null : input.apply(field), refusal.message(), refusal.typed()).addTo(model);
        model.addAttribute("failedForm", form);
        response.setStatus(HttpStatus.BAD_REQUEST.value());
    }

    private Integration integration(ConsoleUser user, String id) {
        return integrations.find(user.tenantId(), id).orElseThrow(() -> new ConsoleRefusal(HttpStatus.NOT_FOUND, "integration not found"));
    }

    static String integrationPage(String integrationId) {
        return LIST + "/" + integrationId;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
