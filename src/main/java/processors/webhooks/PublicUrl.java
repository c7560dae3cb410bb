package processors.webhooks;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * The hub's public base URL, as providers reach it: {@code hub.public-url} when set (behind a proxy
 * or load balancer it must be), otherwise the scheme, host and port of the request at hand.
 */
@Component
public class PublicUrl {

    private final String configured;

    public PublicUrl(@Value("${hub.public-url:}") String configured) {
        this.configured = configured.endsWith("/") ? configured.substring(0, configured.length() - 1) : configured;
    }

    /** The base URL for the current HTTP request. */
    public String base() {
        return configured.isBlank() ? ServletUriComponentsBuilder.fromCurrentContextPath().build().toUriString() : configured;
    }

    public String receiver(String registrationId) {
        return base() + "/webhooks/" + registrationId;
    }

    /** The receiver URL when it can be known here: hub.public-url is set, or an HTTP request is at hand. */
    public java.util.Optional<String> receiverIfKnown(String registrationId) {
        if (configured.isBlank() && org.springframework.web.context.request.RequestContextHolder.getRequestAttributes() == null) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(receiver(registrationId));
    }
}
