package providers;

import java.util.List;
import java.util.Optional;

import org.springframework.stereotype.Component;

/**
 * Every adapter on the classpath; adding a provider is adding an adapter bean. Adapters are handed
 * out decorated ({@link AdapterDecorator}): their provider calls pass the rate limits and circuit breaker.
 */
@Component
public class AdapterRegistry {

    private final List<IntegrationAdapter> adapters;

    public AdapterRegistry(List<IntegrationAdapter> adapters, AdapterDecorator decorator) {
        this.adapters = adapters.stream().map(decorator::decorate).toList();
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
