package providers;

/**
 * Wraps every adapter the {@link AdapterRegistry} hands out, so no flow can call a provider around it: the provider
 * gate (rate limits and circuit breaker) is one. The registry knows the interface, not the gate.
 */
@FunctionalInterface
public interface AdapterDecorator {

    IntegrationAdapter decorate(IntegrationAdapter adapter);
}
