package processors.events;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.stereotype.Component;

import store.EventStore;
import store.Timestamps;

/**
 * The event outbox's retention: relayed events older than {@code hub.events.retention} are deleted (the
 * {@code events-retention} route runs it on {@code hub.events.retention-cron}); an event not relayed yet is kept whatever
 * its age, so the purge never loses one.
 */
@Component
public class EventRetention {

    private static final Logger LOG = LoggerFactory.getLogger(EventRetention.class);

    private final EventStore events;
    private final Duration retention;

    public EventRetention(EventStore events, @Value("${hub.events.retention}") String retention) {
        this.events = events;
        this.retention = DurationStyle.detectAndParse(retention);
    }

    /** Deletes the relayed events past retention; returns how many. */
    public int purgeExpired() {
        int purged = events.purgeRelayedBefore(Timestamps.now().minus(retention));
        if (purged > 0) {
            LOG.info("Purged {} relayed events older than {}", purged, retention);
        }
        return purged;
    }
}
