package api;

import java.time.OffsetDateTime;
import java.util.List;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import processors.notifications.ChannelRequest;
import processors.notifications.NotificationChannels;
import security.Caller;
import store.AuditLog;
import store.Cursor;
import store.Notification;
import store.NotificationChannel;
import store.Page;

/**
 * Operator notification channels of the caller's tenant ({@code /api/tenant/...}), and the hub-wide ones of the
 * administrator ({@code /api/admin/...}), which get every tenant's events their rules let through: list, create,
 * change, delete, send a test message; and the delivery history ({@code GET .../notifications?status=}). Secrets
 * (bot token, webhook URL) are taken, never shown.
 */
@RestController
public class NotificationChannelController {

    /** A channel as the API shows it: every setting, its health, whether a secret is stored; never the secret. */
    public record ChannelView(String id, String name, String type, String slackChannel, List<String> eventTypes, String minSeverity,
                              List<String> integrations, Grouping grouping, ChannelRequest.QuietHoursRequest quietHours, boolean enabled,
                              String health, String healthReason, boolean secretStored, OffsetDateTime createdAt, OffsetDateTime updatedAt) {
    }

    /** Alertmanager's periods, in seconds. */
    public record Grouping(int groupWaitSeconds, int groupIntervalSeconds, int repeatIntervalSeconds) {
    }

    private static final String TENANT = "/api/tenant/notification-channels";
    private static final String ADMIN = "/api/admin/notification-channels";

    private final NotificationChannels channels;
    private final AuditLog audit;

    public NotificationChannelController(NotificationChannels channels, AuditLog audit) {
        this.channels = channels;
        this.audit = audit;
    }

    @GetMapping({TENANT, ADMIN})
    public Page<ChannelView> list(Caller caller) {
        return new Page<>(channels.list(caller.tenantId()).stream().map(NotificationChannelController::view).toList(), null);
    }

    @GetMapping({TENANT + "/{id}", ADMIN + "/{id}"})
    public ChannelView get(Caller caller, @PathVariable String id) {
        return view(channels.get(caller.tenantId(), id));
    }

    @PostMapping({TENANT, ADMIN})
    @ResponseStatus(HttpStatus.CREATED)
    public ChannelView create(Caller caller, @RequestBody ChannelRequest request) {
        NotificationChannel channel = channels.create(caller.tenantId(), request);
        audit.record(caller.tenantId(), caller.actor(), "notification_channel.create", "notification_channel", channel.id(), channel.kind().value());
        return view(channel);
    }

    @PatchMapping({TENANT + "/{id}", ADMIN + "/{id}"})
    public ChannelView update(Caller caller, @PathVariable String id, @RequestBody ChannelRequest request) {
        NotificationChannel channel = channels.update(caller.tenantId(), id, request);
        audit.record(caller.tenantId(), caller.actor(), "notification_channel.update", "notification_channel", id, null);
        return view(channel);
    }

    @DeleteMapping({TENANT + "/{id}", ADMIN + "/{id}"})
    @ResponseStatus(HttpStatus.NO_CONTENT)
    public void delete(Caller caller, @PathVariable String id) {
        channels.delete(caller.tenantId(), id);
        audit.record(caller.tenantId(), caller.actor(), "notification_channel.delete", "notification_channel", id, null);
    }

    @PostMapping({TENANT + "/{id}/test", ADMIN + "/{id}/test"})
    public NotificationChannels.TestResult test(Caller caller, @PathVariable String id) {
        return channels.test(caller.tenantId(), id);
    }

    /** The delivery history, newest first, of one status ({@code pending}, {@code sent}, {@code failed}) or all. */
    @GetMapping({"/api/tenant/notifications", "/api/admin/notifications"})
    public Page<Notification> history(Caller caller, @RequestParam(required = false) String status, @RequestParam(required = false) String cursor,
                                      @RequestParam(required = false) Integer limit) {
        int size = Cursor.limit(limit, 50, 500);
        List<Notification> page = channels.history(caller.tenantId(), status, Cursor.decode(cursor), size + 1);
        String next = null;
        if (page.size() > size) {
            page = page.subList(0, size);
            Notification last = page.get(size - 1);
            next = new Cursor(last.createdAt(), last.id()).encode();
        }
        return new Page<>(page, next);
    }

    static ChannelView view(NotificationChannel c) {
        ChannelRequest.QuietHoursRequest quiet = c.quietStart() == null ? null
                : new ChannelRequest.QuietHoursRequest(c.quietStart(), c.quietEnd(), c.timeZone());
        return new ChannelView(c.id(), c.name(), c.kind().value(), c.slackChannel(), c.eventTypes(), c.minSeverity(), c.integrations(),
                new Grouping(c.groupWaitSeconds(), c.groupIntervalSeconds(), c.repeatIntervalSeconds()), quiet, c.enabled(), c.health(),
                c.healthReason(), true, c.createdAt(), c.updatedAt());
    }
}
