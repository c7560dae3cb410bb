package providers.webhooks;

import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

import org.springframework.stereotype.Component;

/**
 * Every webhook scheme the hub knows: the ones its verifier and event-parser beans name. A provider package
 * adds a scheme by contributing both beans; nothing here lists them. Thread-safe.
 *
 * @throws IllegalStateException at startup when two beans claim one scheme or a scheme lacks its verifier or parser
 */
@Component
public final class WebhookSchemes {

    private final Map<String, WebhookVerifier> verifiers;
    private final Map<String, WebhookEventParser> parsers;

    public WebhookSchemes(List<WebhookVerifier> verifiers, List<WebhookEventParser> parsers) {
        this.verifiers = byId(verifiers, WebhookVerifier::scheme, "verifier");
        this.parsers = byId(parsers, WebhookEventParser::scheme, "event parser");
        if (!this.verifiers.keySet().equals(this.parsers.keySet())) {
            throw new IllegalStateException("every webhook scheme needs a verifier and an event parser: verifiers for "
                    + this.verifiers.keySet() + ", parsers for " + this.parsers.keySet());
        }
    }

    /** The scheme with this API name, case and surrounding blanks ignored. */
    public Optional<WebhookScheme> of(String id) {
        if (id == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(verifiers.get(id.trim().toLowerCase(Locale.ROOT))).map(WebhookVerifier::scheme);
    }

    /** All schemes, by id. */
    public List<WebhookScheme> all() {
        return verifiers.values().stream().map(WebhookVerifier::scheme).sorted(Comparator.comparing(WebhookScheme::id)).toList();
    }

    /** The API names of all schemes, by id. */
    public List<String> ids() {
        return List.copyOf(verifiers.keySet());
    }

    public WebhookVerifier verifier(WebhookScheme scheme) {
        return known(verifiers, scheme);
    }

    public WebhookEventParser parser(WebhookScheme scheme) {
        return known(parsers, scheme);
    }

    /** The body to log for a verified delivery of this scheme (see {@link WebhookVerifier#redact}). */
    public String redact(WebhookScheme scheme, byte[] body) {
        return verifier(scheme).redact(new String(body, StandardCharsets.UTF_8));
    }

    private static <T> T known(Map<String, T> roles, WebhookScheme scheme) {
        T role = roles.get(Objects.requireNonNull(scheme, "scheme").id());
        if (role == null) {
            throw new IllegalArgumentException("unknown webhook scheme " + scheme.id());
        }
        return role;
    }

    private static <T> Map<String, T> byId(List<T> beans, Function<T, WebhookScheme> scheme, String role) {
        Map<String, T> byId = new TreeMap<>();
        for (T bean : beans) {
            T before = byId.put(scheme.apply(bean).id(), bean);
            if (before != null) {
                throw new IllegalStateException("two webhook " + role + "s for scheme " + scheme.apply(bean).id() + ": "
                        + before.getClass().getName() + ", " + bean.getClass().getName());
            }
        }
        return byId;
    }
}
