package adapters;

import java.util.List;
import java.util.Optional;

import org.springframework.stereotype.Component;

import ratelimits.GatedAdapter;
import ratelimits.ProviderGate;

/**
 * Every adapter on the classpath; adding a provider is adding an adapter bean. Adapters are handed
 * out gated: their provider calls pass the rate limits and circuit breaker of {@link ProviderGate}.
 */
@Component
public class AdapterRegistry {

    private final List<IntegrationAdapter> adapters;

    public AdapterRegistry(List<IntegrationAdapter> adapters, ProviderGate gate) {
        this.adapters = adapters.stream().<IntegrationAdapter>map(a -> new GatedAdapter(a, gate)).toList();
    }

    public Optional<IntegrationAdapter> find(String providerId) {
        return adapters.stream().filter(a -> a.supports(providerId)).findFirst();
    }

    public IntegrationAdapter get(String providerId) {
        return find(providerId).orElseThrow(() -> new IllegalStateException("no adapter for provider " + providerId));
    }

    public List<ProviderDescriptor> descriptors() {
        return adapters.stream().map(IntegrationAdapter::descriptor).toList();
    }
}
