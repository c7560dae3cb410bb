package processors.outgoing;

import java.util.HashMap;
import java.util.Map;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * This instance's deliveries in flight: at most {@code hub.webhooks-out.senders} in all and
 * {@code hub.webhooks-out.endpoint-concurrency} per endpoint, so a slow endpoint holds only its own share of the senders
 * and every other endpoint's messages still go.
 */
@Component
public class DeliverySlots {

    private final int total;
    private final int perEndpoint;
    private final Map<String, Integer> byEndpoint = new HashMap<>();
    private int inFlight;

    public DeliverySlots(@Value("${hub.webhooks-out.senders}") int total, @Value("${hub.webhooks-out.endpoint-concurrency}") int perEndpoint) {
        this.total = total;
        this.perEndpoint = perEndpoint;
    }

    /** Takes up to {@code wanted} slots for the endpoint; returns how many it got (0: none free). */
    public synchronized int reserve(String endpointId, int wanted) {
        int own = byEndpoint.getOrDefault(endpointId, 0);
        int granted = Math.min(wanted, Math.min(total - inFlight, perEndpoint - own));
        if (granted <= 0) {
            return 0;
        }
        byEndpoint.put(endpointId, own + granted);
        inFlight += granted;
        return granted;
    }

    public synchronized void release(String endpointId, int count) {
        if (count <= 0) {
            return;
        }
        int left = byEndpoint.getOrDefault(endpointId, 0) - count;
        if (left <= 0) {
            byEndpoint.remove(endpointId);
        } else {
            byEndpoint.put(endpointId, left);
        }
        inFlight = Math.max(0, inFlight - count);
    }

    public synchronized int free() {
        return total - inFlight;
    }

    public int senders() {
        return total;
    }
}
