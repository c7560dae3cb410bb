package api;

import java.util.List;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import hub.InvalidInputException;
import hub.NotFoundException;
import processors.events.EventCatalog;
import processors.notifications.NotificationTemplates;
import security.Caller;
import store.AuditLog;
import store.NotificationTemplate;
import store.NotificationTemplateStore;
import store.Page;

/**
 * The caller's tenant's notification templates: {@code GET} its own, {@code GET .../{eventType}} the one in use (its own
 * or the built-in one; 404 for an unknown type), {@code PUT .../{eventType}} {@code {"title", "text", "example"}} (an event type of the catalog or
 * {@code *}), refused with 400 naming the limit when it renders past Slack's or the Teams webhook's; {@code DELETE} goes
 * back to the built-in one.
 */
@RestController
public class NotificationTemplateController {

    /** A template as the API takes it. */
    public record TemplateRequest(String title, String text, String example) {
    }

    private static final String BASE = "/api/tenant/notification-templates";

    private final NotificationTemplateStore store;
    private final NotificationTemplates templates;
    private final EventCatalog catalog;
    private final AuditLog audit;

    public NotificationTemplateController(NotificationTemplateStore store, NotificationTemplates templates, EventCatalog catalog, AuditLog audit) {
        this.store = store;
        this.templates = templates;
        this.catalog = catalog;
        this.audit = audit;
    }

    @GetMapping(BASE)
    public Page<NotificationTemplate> list(Caller caller) {
        return new Page<>(store.list(caller.tenantId()), null);
    }

    @GetMapping(BASE + "/{eventType}")
    public NotificationTemplate get(Caller caller, @PathVariable String eventType) {
        if (!known(eventType)) {
            throw NotFoundException.of("event type " + eventType);
        }
        NotificationTemplate t = templates.of(caller.tenantId(), eventType);
        return new NotificationTemplate(eventType, t.title(), t.text(), t.example());
    }

    @PutMapping(BASE + "/{eventType}")
    public NotificationTemplate put(Caller caller, @PathVariable String eventType, @RequestBody TemplateRequest request) {
        type(eventType);
        NotificationTemplate template = new NotificationTemplate(eventType, request.title(), request.text(), request.example());
        templates.validate(eventType, template);
        store.save(caller.tenantId(), template);
        audit.record(caller.tenantId(), caller.actor(), "notification_template.put", "notification_template", eventType, null);
        return template;
    }

    @DeleteMapping(BASE + "/{eventType}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    public void delete(Caller caller, @PathVariable String eventType) {
        if (!store.delete(caller.tenantId(), eventType)) {
            throw NotFoundException.of("notification template " + eventType);
        }
        audit.record(caller.tenantId(), caller.actor(), "notification_template.delete", "notification_template", eventType, null);
    }

    private void type(String eventType) {
        if (!known(eventType)) {
            throw new InvalidInputException("eventType", "unknown event type '" + eventType + "' (GET /api/event-types lists them)");
        }
    }

    private boolean known(String eventType) {
        return NotificationTemplates.ANY.equals(eventType) || catalog.find(eventType).isPresent()
                || List.of(NotificationTemplates.CHANNEL_UNHEALTHY, NotificationTemplates.TEST).contains(eventType);
    }
}
