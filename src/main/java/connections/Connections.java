package connections;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import hub.ConflictingStateException;
import hub.InvalidInputException;
import hub.NotFoundException;
import providers.AdapterRegistry;
import providers.ConnectionContext;
import providers.ConnectionTestResult;
import providers.IntegrationAdapter;
import providers.ProviderDescriptor.CredentialField;
import providers.ProviderDescriptor;
import providers.ProviderException;
import security.Caller;
import security.CredentialTypes;
import security.CredentialVault;
import security.InvalidCredentialsException;
import security.OutboundGuard;
import security.SecretNames;
import store.AuditLog;
import store.Connection;
import store.ConnectionStore;
import store.Integration;
import store.IntegrationStore;
import store.Timestamps;

/**
 * Connecting an integration: validates credentials against what its provider needs, seals them in
 * the vault, tests them with the provider, and keeps the connection's status. Secret values never
 * leave this class except towards the adapter.
 */
@Component
public class Connections {

    private static final Logger LOG = LoggerFactory.getLogger(Connections.class);

    private final AdapterRegistry adapters;
    private final CredentialVault vault;
    private final ConnectionStore connections;
    private final IntegrationStore integrations;
    private final AuditLog audit;
    private final OutboundGuard guard;
    /** Opened credentials by integration, for {@link #CACHE_TTL_NANOS}: a busy write-back does not open the vault per record. */
    private final Map<String, Opened> opened = new java.util.concurrent.ConcurrentHashMap<>();
    private static final long CACHE_TTL_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(30);

    private record Opened(ConnectionContext context, long at) {
    }

    public Connections(AdapterRegistry adapters, CredentialVault vault, ConnectionStore connections, IntegrationStore integrations,
                       AuditLog audit, OutboundGuard guard) {
        this.adapters = adapters;
        this.guard = guard;
        this.vault = vault;
        this.connections = connections;
        this.integrations = integrations;
        this.audit = audit;
    }

    /**
     * Stores the credentials and tests them; the connection ends {@code connected} or {@code error}
     * with the provider's reason. {@code type} is one of the provider's accepted credential types
     * (null: its first): one of the hub's nine ({@link CredentialTypes}), checked by its rules, or the
     * provider's own (as Salesforce's username-password flow), checked against the provider's fields.
     */
    public ConnectionTestResult connect(Caller caller, Integration integration, String type, Map<String, Object> given,
                                        ConnectionStore.Rotation rotation) {
        IntegrationAdapter adapter = adapters.get(integration.providerId());
        ProviderDescriptor provider = adapter.descriptor();
        String chosen = type == null ? provider.authTypes().get(0) : type;
        if (!provider.authTypes().contains(chosen)) {
            throw new InvalidInputException("type", (CredentialTypes.isKnown(chosen) ? provider.name() + " does not take " + chosen + " credentials"
                    : "unknown credential type '" + chosen + "'") + "; it takes " + String.join(", ", provider.authTypes()));
        }
        Map<String, String> credentials;
        try {
            credentials = adapter.normalizeCredentials(CredentialTypes.isKnown(chosen) ? CredentialTypes.validate(chosen, given)
                    : validate(provider, credentialFields(provider, chosen), given));
            CredentialTypes.urlFields(credentials).forEach(guard::checkField);
        } catch (InvalidCredentialsException e) {
            throw new InvalidInputException("type".equals(e.field()) ? "type" : "credentials." + e.field(), e.getMessage());
        }
        return store(caller.actor(), integration, chosen, credentials, "connect/api-key", rotation);
    }

    /**
     * The fields {@link #connect} checks for credentials of {@code type} with this provider: one of the hub's nine
     * types' ({@link CredentialTypes#fields}), else the provider's own ({@link ProviderDescriptor#credentialFields}).
     * The console's connect form is made from them, so it asks for exactly what the API takes.
     */
    public static java.util.List<CredentialField> credentialFields(ProviderDescriptor provider, String type) {
        if (CredentialTypes.isKnown(type)) {
            return CredentialTypes.fields(type).stream().map(f -> new CredentialField(f.name(), f.required(), f.secret(), null)).toList();
        }
        return provider.credentialFields();
    }

    /**
     * Tests credentials that are already validated for {@code type} (one the integration's provider
     * takes) with the provider, seals them and saves the connection. An integration that is connected
     * keeps its working credentials when the new ones fail their test: the answer says why, and status,
     * credentials and the next sync stay as they were. Otherwise the connection ends {@code connected}
     * or {@code error} with the provider's reason. {@code via} names the way they came, for the audit
     * trail; {@code rotation} is the credentials' rotation policy (null: none).
     */
    public ConnectionTestResult store(String actor, Integration integration, String type, Map<String, String> credentials, String via,
                                      ConnectionStore.Rotation rotation) {
        IntegrationAdapter adapter = adapters.get(integration.providerId());
        String providerId = adapter.descriptor().id();
        String kind = type.startsWith("oauth2") ? "oauth" : "apikey";
        String secretName = SecretNames.tenant(integration.tenantId(), providerId, integration.id(), kind);
        ConnectionContext context = new ConnectionContext(integration.tenantId(), integration.id(), providerId, credentials,
                integration.settings().sources());
        boolean working = connections.find(integration.id()).filter(c -> c.status() == Connection.Status.CONNECTED).isPresent();
        ConnectionTestResult result;
        if (working && !testedFromVault(type)) {
            adapter.disconnect(context);
            result = logged(integration, adapter.testConnection(context));
            if (!result.ok()) {
                adapter.disconnect(context);
                return keptWorking(actor, integration, result);
            }
            seal(actor, integration, secretName, credentials, via);
        } else {
            Map<String, String> replaced = null;
            if (working) {
                replaced = vault.get(secretName).orElse(null);
                audit.record(integration.tenantId(), actor, "secret.read", "secret", secretName, "kept while new credentials are tested");
            }
            seal(actor, integration, secretName, credentials, via);
            adapter.disconnect(context);
            result = logged(integration, adapter.testConnection(context));
            if (working && !result.ok()) {
                if (replaced != null) {
                    vault.put(secretName, integration.tenantId(), replaced);
                    audit.record(integration.tenantId(), actor, "secret.write", "secret", secretName, "working credentials put back");
                } else {
                    vault.delete(secretName);
                    audit.record(integration.tenantId(), actor, "secret.delete", "secret", secretName, "new credentials failed their test");
                }
                opened.remove(integration.id());
                adapter.disconnect(context);
                return keptWorking(actor, integration, result);
            }
        }
        Connection.Status status = result.ok() ? Connection.Status.CONNECTED : Connection.Status.ERROR;
        connections.save(integration.id(), integration.tenantId(), type, secretName, status,
                result.ok() ? null : result.message(), Timestamps.now(), rotation);
        integrations.updateStatus(integration.id(), Integration.Status.following(status));
        audit.record(integration.tenantId(), actor, "integration.connect", "integration", integration.id(), status.value());
        return result;
    }

    /**
     * Authorization-code tokens reach the provider's client through the vault (the hub hands them out at
     * its token endpoint), so they can only be tested once stored; they are put back when the test fails.
     */
    private static boolean testedFromVault(String type) {
        return CredentialTypes.OAUTH2_AUTHORIZATION_CODE.equals(type);
    }

    private void seal(String actor, Integration integration, String secretName, Map<String, String> credentials, String via) {
        vault.put(secretName, integration.tenantId(), credentials);
        opened.remove(integration.id());
        audit.record(integration.tenantId(), actor, "secret.write", "secret", secretName, via);
    }

    private ConnectionTestResult keptWorking(String actor, Integration integration, ConnectionTestResult failed) {
        audit.record(integration.tenantId(), actor, "integration.connect", "integration", integration.id(),
                "new credentials failed their test; the working ones are kept");
        return ConnectionTestResult.failure(failed.message() + "; the integration keeps its working credentials");
    }

    public void disconnect(Caller caller, Integration integration) {
        Connection connection = require(integration);
        context(integration, connection).ifPresent(ctx -> adapters.get(integration.providerId()).disconnect(ctx));
        vault.delete(connection.secretName());
        opened.remove(integration.id());
        connections.recordTest(integration.id(), Connection.Status.DISCONNECTED, null);
        integrations.updateStatus(integration.id(), Integration.Status.DISCONNECTED);
        audit.record(integration.tenantId(), caller.actor(), "secret.delete", "secret", connection.secretName(), "disconnect");
    }

    public ConnectionTestResult test(Caller caller, Integration integration) {
        Connection connection = require(integration);
        ConnectionContext context = context(integration, connection)
                .orElseThrow(() -> new ConflictingStateException("integration is disconnected; connect it first"));
        audit.record(integration.tenantId(), caller.actor(), "secret.read", "secret", connection.secretName(), "connection test");
        ConnectionTestResult result = logged(integration, adapters.get(integration.providerId()).testConnection(context));
        Connection.Status status = result.ok() ? Connection.Status.CONNECTED : Connection.Status.ERROR;
        connections.recordTest(integration.id(), status, result.ok() ? null : result.message());
        integrations.updateStatus(integration.id(), Integration.Status.following(status));
        return result;
    }

    /** Forgets any provider session of an integration that is going away. */
    public void close(Integration integration) {
        opened.remove(integration.id());
        connections.find(integration.id()).ifPresent(connection -> {
            context(integration, connection).ifPresent(ctx -> adapters.get(integration.providerId()).disconnect(ctx));
            vault.delete(connection.secretName());
        });
    }

    private static ConnectionTestResult logged(Integration integration, ConnectionTestResult result) {
        if (!result.ok()) {
            LOG.warn("Connection test of integration {} (tenant {}) failed: {}", integration.id(), integration.tenantId(), result.message());
        }
        return result;
    }

    private Connection require(Integration integration) {
        return connections.find(integration.id())
                .orElseThrow(() -> new NotFoundException("integration has no connection"));
    }

    /**
     * Checks the integration's source selection against its provider when it is connected (unknown sources: 400 naming
     * them). A provider that cannot answer now does not block the save: the sync reports a source it cannot read.
     */
    public void checkSources(Integration integration) {
        context(integration, "integration.sources").ifPresent(context -> {
            try {
                adapters.get(integration.providerId()).checkSources(context);
            } catch (ProviderException e) {
                LOG.warn("Could not check the sources of integration {} (tenant {}) with {}: {}", integration.id(), integration.tenantId(),
                        integration.providerId(), e.getMessage());
            }
        });
    }

    /**
     * The integration's connection with its credentials, when it is connected. The vault read is
     * audited; the opened credentials are kept for 30 s (forgotten at once when this instance
     * reconnects or disconnects the integration).
     */
    public java.util.Optional<ConnectionContext> context(Integration integration, String why) {
        Opened cached = opened.get(integration.id());
        if (cached != null && System.nanoTime() - cached.at() < CACHE_TTL_NANOS) {
            return java.util.Optional.of(cached.context().withSources(integration.settings().sources()));
        }
        java.util.Optional<ConnectionContext> context = connections.find(integration.id()).filter(c -> c.status() == Connection.Status.CONNECTED)
                .flatMap(connection -> {
                    audit.record(integration.tenantId(), "hub", "secret.read", "secret", connection.secretName(), why);
                    return context(integration, connection);
                });
        context.ifPresent(c -> opened.put(integration.id(), new Opened(c, System.nanoTime())));
        return context;
    }

    private java.util.Optional<ConnectionContext> context(Integration integration, Connection connection) {
        return vault.get(connection.secretName())
                .map(credentials -> new ConnectionContext(integration.tenantId(), integration.id(), integration.providerId(), credentials,
                        integration.settings().sources()));
    }

    private static Map<String, String> validate(ProviderDescriptor provider, java.util.List<CredentialField> fields, Map<String, Object> given) {
        if (given == null || given.isEmpty()) {
            throw new InvalidInputException("credentials", "required: " + fields.stream()
                    .filter(CredentialField::required).map(CredentialField::name).collect(Collectors.joining(", ")));
        }
        Set<String> known = fields.stream().map(CredentialField::name).collect(Collectors.toSet());
        for (String name : given.keySet()) {
            if (!known.contains(name)) {
                throw new InvalidInputException("credentials." + name, "unknown field for " + provider.name() + " (known: "
                        + String.join(", ", known) + ")");
            }
        }
        Map<String, String> credentials = new LinkedHashMap<>();
        for (CredentialField field : fields) {
            Object value = given.get(field.name());
            if (value == null || (value instanceof String s && s.isBlank())) {
                if (field.required()) {
                    throw new InvalidInputException("credentials." + field.name(), "required");
                }
                continue;
            }
            if (!(value instanceof String text)) {
                throw new InvalidInputException("credentials." + field.name(), "must be a string");
            }
            credentials.put(field.name(), text.trim());
        }
        return credentials;
    }
}
