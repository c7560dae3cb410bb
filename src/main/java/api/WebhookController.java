package api;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import processors.webhooks.WebhookMaintenance;
import processors.webhooks.WebhookRegistrations;
import security.Caller;
import store.AuditLog;
import store.Cursor;
import store.Integration;
import store.IntegrationStore;
import store.Page;
import store.WebhookDelivery;
import store.WebhookDeliveryStore;
import store.WebhookRegistration;
import store.WebhookRegistrationStore;

/** Webhook registrations of an integration, their health, and the tenant's delivery history (a delivery replayed on request). */
@RestController
public class WebhookController {


    record RegistrationRequest(String scheme, List<String> events, String secret, Map<String, String> settings) {
    }

    /** A registration as shown; {@code secret} appears only in the response that created it, when the hub chose it. */
    record RegistrationView(String id, String integrationId, String scheme, String url, List<String> events, Map<String, String> settings,
                            WebhookRegistration.Status status, int consecutiveFailures, long totalFailures, OffsetDateTime lastSuccessAt,
                            OffsetDateTime lastFailureAt, String lastFailureReason, boolean hasSecret, String providerWebhookId,
                            OffsetDateTime expiresAt, OffsetDateTime lastRenewedAt, String lastRenewal, OffsetDateTime createdAt, String secret,
                            String providerRegistration) {
    }

    record Health(String registrationId, WebhookRegistration.Status status, int consecutiveFailures, long totalFailures, OffsetDateTime lastSuccessAt,
                  OffsetDateTime lastFailureAt, @JsonInclude(JsonInclude.Include.ALWAYS) String lastFailureReason) {
    }

    private final IntegrationStore integrations;
    private final WebhookRegistrationStore registrations;
    private final WebhookDeliveryStore deliveries;
    private final WebhookRegistrations service;
    private final WebhookMaintenance maintenance;
    private final AuditLog audit;

    public WebhookController(IntegrationStore integrations, WebhookRegistrationStore registrations, WebhookDeliveryStore deliveries,
                             WebhookRegistrations service, WebhookMaintenance maintenance, AuditLog audit) {
        this.integrations = integrations;
        this.registrations = registrations;
        this.deliveries = deliveries;
        this.service = service;
        this.maintenance = maintenance;
        this.audit = audit;
    }

    @PostMapping("/api/tenant/integrations/{integrationId}/webhooks")
    public ResponseEntity<RegistrationView> create(Caller caller, @PathVariable String integrationId, @RequestBody RegistrationRequest r) {
        Integration integration = integration(caller, integrationId);
        WebhookRegistrations.Created created = service.create(integration, r.scheme(), r.events(), r.secret(), r.settings());
        audit.record(caller.tenantId(), caller.actor(), "webhook.create", "webhook", created.registration().id(), r.scheme());
        return ResponseEntity.status(HttpStatus.CREATED).body(view(created.registration(), created.generatedSecret(),
                created.providerRegistration()));
    }

    @GetMapping("/api/tenant/integrations/{integrationId}/webhooks")
    public Page<RegistrationView> list(Caller caller, @PathVariable String integrationId, @RequestParam(required = false) Integer limit,
                                       @RequestParam(required = false) String cursor) {
        integration(caller, integrationId);
        Page<WebhookRegistration> page = registrations.list(caller.tenantId(), integrationId, Cursor.decode(cursor), Cursor.limit(limit, 50, 500));
        return new Page<>(page.items().stream().map(r -> view(r, null, null)).toList(), page.nextCursor());
    }

    @GetMapping("/api/tenant/integrations/{integrationId}/webhooks/{registrationId}")
    public RegistrationView get(Caller caller, @PathVariable String integrationId, @PathVariable String registrationId) {
        return view(registration(caller, integrationId, registrationId), null, null);
    }

    @GetMapping("/api/tenant/integrations/{integrationId}/webhooks/{registrationId}/health")
    public Health health(Caller caller, @PathVariable String integrationId, @PathVariable String registrationId) {
        WebhookRegistration r = registration(caller, integrationId, registrationId);
        return new Health(r.id(), r.status(), r.consecutiveFailures(), r.totalFailures(), r.lastSuccessAt(), r.lastFailureAt(),
                r.lastFailureReason());
    }

    @DeleteMapping("/api/tenant/integrations/{integrationId}/webhooks/{registrationId}")
    public ResponseEntity<Void> delete(Caller caller, @PathVariable String integrationId, @PathVariable String registrationId) {
        service.delete(java.util.Optional.of(registration(caller, integrationId, registrationId)));
        audit.record(caller.tenantId(), caller.actor(), "webhook.delete", "webhook", registrationId, null);
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/api/webhooks/deliveries")
    public Page<WebhookDelivery> deliveries(Caller caller, @RequestParam(required = false) String registrationId,
                                            @RequestParam(required = false) String status, @RequestParam(required = false) Integer limit,
                                            @RequestParam(required = false) String cursor) {
        WebhookDelivery.Status checkedStatus = Validation.status("status", status, WebhookDelivery.Status.class);
        return deliveries.list(caller.tenantId(), registrationId, checkedStatus, Cursor.decode(cursor), Cursor.limit(limit, 100, 1000));
    }

    /** One of the tenant's deliveries (another tenant's is not found). */
    @GetMapping("/api/webhooks/deliveries/{id}")
    public WebhookDelivery delivery(Caller caller, @PathVariable String id) {
        return deliveries.find(caller.tenantId(), id).orElseThrow(() -> ApiException.notFound("webhook delivery"));
    }

    /**
     * Processes a delivery again as when it arrived (202 with it, accepted again); 409 while it waits to be processed and for
     * a refused, duplicate or handshake delivery. Recorded in the audit log ({@code webhook_delivery.replay}).
     */
    @PostMapping("/api/webhooks/deliveries/{id}/replay")
    @ResponseStatus(HttpStatus.ACCEPTED)
    public WebhookDelivery replay(Caller caller, @PathVariable String id) {
        WebhookDelivery delivery = delivery(caller, id);
        WebhookDelivery replayed = maintenance.replay(delivery);
        audit.record(caller.tenantId(), caller.actor(), "webhook_delivery.replay", "webhook_delivery", id,
                "registration " + delivery.registrationId() + ", outcome before: " + delivery.outcome());
        return replayed;
    }

    private RegistrationView view(WebhookRegistration r, String secret, String providerRegistration) {
        return new RegistrationView(r.id(), r.integrationId(), r.scheme(), service.url(r), r.events(), r.settings(), r.status(),
                r.consecutiveFailures(), r.totalFailures(), r.lastSuccessAt(), r.lastFailureAt(), r.lastFailureReason(),
                r.secretName() != null, r.providerWebhookId(), r.expiresAt(), r.lastRenewedAt(), r.lastRenewal(), r.createdAt(), secret,
                providerRegistration);
    }

    private Integration integration(Caller caller, String id) {
        return integrations.find(caller.tenantId(), id).orElseThrow(() -> ApiException.notFound("integration"));
    }

    private WebhookRegistration registration(Caller caller, String integrationId, String registrationId) {
        integration(caller, integrationId);
        return registrations.find(caller.tenantId(), integrationId, registrationId)
                .orElseThrow(() -> ApiException.notFound("webhook registration"));
    }
}
