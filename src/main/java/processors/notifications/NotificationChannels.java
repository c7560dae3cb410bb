package processors.notifications;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import hub.Ids;
import hub.InvalidInputException;
import hub.NotFoundException;
import processors.events.EventCatalog;
import security.CredentialVault;
import security.InvalidCredentialsException;
import security.OutboundGuard;
import security.SecretNames;
import store.IntegrationStore;
import store.Notification;
import store.NotificationChannel;
import store.NotificationChannelStore;
import store.NotificationStore;
import store.Timestamps;

/**
 * A tenant's notification channels (the administrator's hub-wide ones: {@code tenantId} null): checked settings, the
 * secret (bot token, webhook URL) in the vault and never shown again, and the test send. Bad input names its field:
 * an unknown event type, a URL that is not https (http only to a listed host) or points at an internal address, an
 * integration not the tenant's.
 */
@Component
public class NotificationChannels {

    /** What a test send got, as the API answers it. */
    public record TestResult(boolean delivered, Integer status, String error, String health) {
    }

    private static final int MAX_PERIOD_SECONDS = 7 * 24 * 3600;

    private final NotificationChannelStore channels;
    private final NotificationStore store;
    private final CredentialVault vault;
    private final OutboundGuard guard;
    private final EventCatalog catalog;
    private final IntegrationStore integrations;
    private final NotificationSettings settings;
    private final NotificationDelivery delivery;
    private final NotificationClock clock;
    private final ObjectMapper json;

    public NotificationChannels(NotificationChannelStore channels, NotificationStore store, CredentialVault vault, OutboundGuard guard,
                                EventCatalog catalog, IntegrationStore integrations, NotificationSettings settings, NotificationDelivery delivery,
                                NotificationClock clock, ObjectMapper json) {
        this.channels = channels;
        this.store = store;
        this.vault = vault;
        this.guard = guard;
        this.catalog = catalog;
        this.integrations = integrations;
        this.settings = settings;
        this.delivery = delivery;
        this.clock = clock;
        this.json = json;
    }

    public List<NotificationChannel> list(String tenantId) {
        return channels.list(tenantId);
    }

    public NotificationChannel get(String tenantId, String id) {
        return channels.find(tenantId, id).orElseThrow(() -> NotFoundException.of("notification channel " + id));
    }

    @Transactional
    public NotificationChannel create(String tenantId, ChannelRequest r) {
        NotificationChannel.Kind kind = kind(r.type());
        String id = Ids.newId();
        OffsetDateTime now = Timestamps.now();
        NotificationChannel channel = merge(new NotificationChannel(id, tenantId, null, kind, null, secretName(tenantId, id), null,
                Severity.WARNING.value(), List.of(), (int) settings.groupWait().toSeconds(), (int) settings.groupInterval().toSeconds(),
                (int) settings.repeatInterval().toSeconds(), null, null, null, true, NotificationChannel.HEALTHY, null, now, now), r, true);
        Map<String, String> secret = secret(kind, r, Map.of(), true);
        channels.insert(channel);
        vault.put(channel.secretName(), tenantId, secret);
        return channel;
    }

    @Transactional
    public NotificationChannel update(String tenantId, String id, ChannelRequest r) {
        NotificationChannel old = get(tenantId, id);
        if (r.type() != null && kind(r.type()) != old.kind()) {
            throw new InvalidInputException("type", "cannot change (delete the channel and create another)");
        }
        NotificationChannel changed = merge(old, r, false);
        boolean newSecret = r.botToken() != null || r.webhookUrl() != null || r.apiUrl() != null;
        if (newSecret) {
            Map<String, String> stored = vault.get(old.secretName()).orElse(Map.of());
            vault.put(old.secretName(), tenantId, secret(old.kind(), r, stored, false));
        }
        if (newSecret || r.slackChannel() != null) {
            // a fixed destination gets its chance again
            changed = withHealth(changed, NotificationChannel.HEALTHY, null);
        }
        channels.update(changed);
        return changed;
    }

    @Transactional
    public void delete(String tenantId, String id) {
        NotificationChannel channel = get(tenantId, id);
        channels.delete(tenantId, id);
        vault.delete(channel.secretName());
    }

    /**
     * Sends a test message now and answers what the destination said; a refusal marks it unhealthy, a delivery healthy.
     * The attempt is in the delivery history.
     */
    public TestResult test(String tenantId, String id) {
        NotificationChannel channel = get(tenantId, id);
        OffsetDateTime now = clock.now();
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("channel", channel.name());
        values.put("occurredAt", now.withNano(0).toString());
        Notification n = delivery.message(channel, NotificationTemplates.TEST, Severity.INFO, values, now);
        store.insert(new Notification(n.id(), n.channelId(), n.tenantId(), null, n.eventType(), n.severity(), 1, n.title(), n.message(),
                Notification.PENDING, 0, now, null, null, now, null));
        store.claim(n.id(), now, now.plusMinutes(2));
        DeliveryOutcome outcome = delivery.sendPaced(channel, json.convertValue(n.message(), MessageModel.class));
        if (outcome == null) {
            outcome = DeliveryOutcome.retry(429, java.time.Duration.ofSeconds(1), "the destination's send slot is taken (platform rate); try again in a second");
        }
        if (outcome.kind() == DeliveryOutcome.Kind.REFUSED) {
            store.attempted(n.id(), Notification.FAILED, now, outcome.status(), outcome.error(), null);
            delivery.unhealthy(channel, outcome.error(), now);
        } else if (outcome.sent()) {
            store.attempted(n.id(), Notification.SENT, now, outcome.status(), null, now);
            if (!channel.healthy()) {
                channels.health(channel.id(), NotificationChannel.HEALTHY, null, Timestamps.now());
            }
        } else {
            store.attempted(n.id(), Notification.FAILED, now, outcome.status(), outcome.error(), null);
        }
        String health = channels.findById(id).map(NotificationChannel::health).orElse(channel.health());
        return new TestResult(outcome.sent(), outcome.status() == 0 ? null : outcome.status(), outcome.error(), health);
    }

    static String secretName(String tenantId, String id) {
        return tenantId == null ? SecretNames.system("notifications-" + id, "channel") : SecretNames.tenant(tenantId, "notifications", id, "channel");
    }

    private static NotificationChannel.Kind kind(String type) {
        NotificationChannel.Kind kind = type == null ? null : NotificationChannel.Kind.of(type);
        if (kind == null) {
            throw new InvalidInputException("type", "must be slack_bot, slack_webhook or teams_workflow");
        }
        return kind;
    }

    private NotificationChannel merge(NotificationChannel c, ChannelRequest r, boolean creating) {
        String name = r.name() != null ? text("name", r.name(), 200) : c.name();
        if (name == null) {
            throw new InvalidInputException("name", "is required");
        }
        String slackChannel = c.slackChannel();
        if (c.kind() == NotificationChannel.Kind.SLACK_BOT) {
            if (r.slackChannel() != null) {
                slackChannel = text("slackChannel", r.slackChannel(), 200);
                if (!slackChannel.matches("#?[a-z0-9][a-z0-9_.-]{0,79}|[CGD][A-Z0-9]{6,20}")) {
                    throw new InvalidInputException("slackChannel", "must be a channel name (#ops-alerts) or id (C0123456789)");
                }
            }
            if (slackChannel == null) {
                throw new InvalidInputException("slackChannel", "is required for a slack_bot channel");
            }
        } else if (r.slackChannel() != null) {
            throw new InvalidInputException("slackChannel", "applies only to slack_bot channels (a webhook posts to its own channel)");
        }
        List<String> types = r.eventTypes() != null || creating ? EventPatterns.validate("eventTypes", r.eventTypes(), catalog) : c.eventTypes();
        String minSeverity = r.minSeverity() != null ? Severity.parse("minSeverity", r.minSeverity()).value() : c.minSeverity();
        List<String> ints = r.integrations() != null ? integrations("integrations", c.tenantId(), r.integrations()) : c.integrations();
        int wait = period("groupWaitSeconds", r.groupWaitSeconds(), c.groupWaitSeconds(), 0);
        int interval = period("groupIntervalSeconds", r.groupIntervalSeconds(), c.groupIntervalSeconds(), 1);
        int repeat = period("repeatIntervalSeconds", r.repeatIntervalSeconds(), c.repeatIntervalSeconds(), 1);
        if (repeat < interval) {
            throw new InvalidInputException("repeatIntervalSeconds", "must be at least groupIntervalSeconds (" + interval + ")");
        }
        String start = c.quietStart();
        String end = c.quietEnd();
        String zone = c.timeZone();
        if (r.quietHours() != null) {
            QuietHours q = QuietHours.parse(r.quietHours().start(), r.quietHours().end(), r.quietHours().timeZone());
            start = q == null ? null : r.quietHours().start();
            end = q == null ? null : r.quietHours().end();
            zone = q == null ? null : q.zone().getId();
        }
        boolean enabled = r.enabled() != null ? r.enabled() : c.enabled();
        return new NotificationChannel(c.id(), c.tenantId(), name, c.kind(), slackChannel, c.secretName(), types, minSeverity, ints, wait, interval,
                repeat, start, end, zone, enabled, c.health(), c.healthReason(), c.createdAt(), Timestamps.now());
    }

    private Map<String, String> secret(NotificationChannel.Kind kind, ChannelRequest r, Map<String, String> stored, boolean creating) {
        Map<String, String> secret = new HashMap<>(stored);
        if (kind == NotificationChannel.Kind.SLACK_BOT) {
            if (r.webhookUrl() != null) {
                throw new InvalidInputException("webhookUrl", "applies to slack_webhook and teams_workflow channels; a slack_bot channel takes botToken");
            }
            if (r.botToken() != null || creating) {
                String token = r.botToken() == null ? "" : r.botToken().trim();
                if (!token.matches("xox[bp]-[A-Za-z0-9-]{1,250}")) {
                    throw new InvalidInputException("botToken", "must be a Slack bot token (xoxb-...)");
                }
                secret.put(Destinations.BOT_TOKEN, token);
            }
            if (r.apiUrl() != null) {
                checkUrl("apiUrl", r.apiUrl());
                secret.put(Destinations.API_URL, r.apiUrl().trim());
            }
        } else {
            if (r.botToken() != null || r.apiUrl() != null) {
                throw new InvalidInputException(r.botToken() != null ? "botToken" : "apiUrl", "applies only to slack_bot channels");
            }
            if (r.webhookUrl() != null || creating) {
                if (r.webhookUrl() == null || r.webhookUrl().isBlank()) {
                    throw new InvalidInputException("webhookUrl", "is required");
                }
                checkUrl("webhookUrl", r.webhookUrl());
                secret.put(Destinations.WEBHOOK_URL, r.webhookUrl().trim());
            }
        }
        return secret;
    }

    private void checkUrl(String field, String url) {
        if (url.length() > 2000) {
            throw new InvalidInputException(field, "is longer than 2000 characters");
        }
        try {
            guard.checkHttpsField(field, url.trim());
        } catch (InvalidCredentialsException e) {
            throw new InvalidInputException(e.field(), e.getMessage());
        }
    }

    private List<String> integrations(String field, String tenantId, List<String> ids) {
        List<String> checked = new ArrayList<>();
        for (String id : ids) {
            boolean known = id != null && (tenantId == null ? integrations.findById(id).isPresent() : integrations.find(tenantId, id).isPresent());
            if (!known) {
                throw new InvalidInputException(field, "no integration " + (id == null ? "null" : "'" + NotificationTemplates.cut(id, 64) + "'")
                        + (tenantId == null ? "" : " of this tenant"));
            }
            checked.add(id);
        }
        return checked;
    }

    private static int period(String field, Integer given, int current, int min) {
        if (given == null) {
            return current;
        }
        if (given < min || given > MAX_PERIOD_SECONDS) {
            throw new InvalidInputException(field, "must be between " + min + " and " + MAX_PERIOD_SECONDS + " seconds");
        }
        return given;
    }

    private static String text(String field, String value, int max) {
        String trimmed = value.trim();
        if (trimmed.isEmpty() || trimmed.length() > max) {
            throw new InvalidInputException(field, "must be 1 to " + max + " characters");
        }
        return trimmed;
    }

    private static NotificationChannel withHealth(NotificationChannel c, String health, String reason) {
        return new NotificationChannel(c.id(), c.tenantId(), c.name(), c.kind(), c.slackChannel(), c.secretName(), c.eventTypes(),
                c.minSeverity(), c.integrations(), c.groupWaitSeconds(), c.groupIntervalSeconds(), c.repeatIntervalSeconds(), c.quietStart(),
                c.quietEnd(), c.timeZone(), c.enabled(), health, reason, c.createdAt(), c.updatedAt());
    }

    /** The owner's messages of a status (or all), newest first. */
    public List<Notification> history(String tenantId, String status, store.Cursor before, int limit) {
        if (status != null && !List.of(Notification.PENDING, Notification.SENT, Notification.FAILED).contains(status)) {
            throw new InvalidInputException("status", "must be pending, sent or failed");
        }
        return store.history(tenantId, status, before, limit);
    }
}
