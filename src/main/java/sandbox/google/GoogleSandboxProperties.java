package sandbox.google;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the Google sandbox ({@code hub.sandbox.google.*}): Drive v3 and Google's OAuth token endpoint.
 *
 * @param enabled whether the sandbox is served at all (with {@code hub.sandbox.enabled})
 * @param files seeded files per domain, spread over its two folders and its shared drive (Docs mostly, some PDFs and
 *     Sheets), each about one of the shared fictional companies and its people
 * @param latencyMs added to every Drive call
 * @param rateLimit Drive calls one user (a token) may make per {@code rateWindow}; past it Drive answers 403
 *     {@code userRateLimitExceeded}; 0 (the default) turns it off
 * @param rateWindow the window of {@code rateLimit}
 * @param tokenTtl lifetime of an access token (Google's: an hour, {@code expires_in: 3599})
 * @param exportLimitBytes largest export {@code files.export} makes (Google's: 10 MB); past it 403 {@code exportSizeLimitExceeded}
 * @param channelMaxTtl longest life of a changes.watch channel; a later requested expiration is cut to it
 * @param maxDomains named domains held at once; the idlest is evicted after {@code domainIdleAfter}
 * @param domainIdleAfter a domain no call has used for this long may be evicted (the default one never is)
 * @param webhookAllowedHosts hosts (host:port) channel notifications may go to besides the hub's own origin
 */
@ConfigurationProperties(prefix = "hub.sandbox.google")
public record GoogleSandboxProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("24") int files,
        @DefaultValue("0") int latencyMs,
        @DefaultValue("0") int rateLimit,
        @DefaultValue("60s") Duration rateWindow,
        @DefaultValue("3600s") Duration tokenTtl,
        @DefaultValue("10485760") long exportLimitBytes,
        @DefaultValue("7d") Duration channelMaxTtl,
        @DefaultValue("200") int maxDomains,
        @DefaultValue("15m") Duration domainIdleAfter,
        @DefaultValue("") List<String> webhookAllowedHosts) {

    @ConstructorBinding
    public GoogleSandboxProperties {
        files = Math.max(0, files);
        latencyMs = Math.max(0, latencyMs);
        rateLimit = Math.max(0, rateLimit);
        rateWindow = positiveOr(rateWindow, Duration.ofMinutes(1));
        tokenTtl = positiveOr(tokenTtl, Duration.ofHours(1));
        exportLimitBytes = exportLimitBytes <= 0 ? 10L * 1024 * 1024 : exportLimitBytes;
        channelMaxTtl = positiveOr(channelMaxTtl, Duration.ofDays(7));
        maxDomains = Math.max(1, maxDomains);
        domainIdleAfter = domainIdleAfter == null || domainIdleAfter.isNegative() ? Duration.ofMinutes(15) : domainIdleAfter;
        webhookAllowedHosts = webhookAllowedHosts == null ? List.of()
                : webhookAllowedHosts.stream().map(String::strip).filter(h -> !h.isEmpty()).toList();
    }

    /** The defaults, for code that builds the sandbox without Spring. */
    public static GoogleSandboxProperties defaults() {
        return new GoogleSandboxProperties(true, 24, 0, 0, Duration.ofMinutes(1), Duration.ofHours(1), 10L * 1024 * 1024,
                Duration.ofDays(7), 200, Duration.ofMinutes(15), List.of());
    }

    private static Duration positiveOr(Duration value, Duration fallback) {
        return value == null || value.isNegative() || value.isZero() ? fallback : value;
    }
}
