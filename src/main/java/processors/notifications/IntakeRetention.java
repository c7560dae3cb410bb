package processors.notifications;

import java.time.Duration;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import store.NotificationStore;
import store.Timestamps;

/** Forgets event ids taken into notification groups longer ago than {@code hub.notifications.intake-retention}. */
@Component
public class IntakeRetention {

    private final NotificationStore store;
    private final Duration retention;

    public IntakeRetention(NotificationStore store, @Value("${hub.notifications.intake-retention}") Duration retention) {
        this.store = store;
        this.retention = retention;
    }

    public int purgeExpired() {
        return store.purgeTakenBefore(Timestamps.now().minus(retention));
    }
}
