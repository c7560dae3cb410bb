package sandbox.entra;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the Entra ID sandbox ({@code hub.sandbox.entra.*}).
 *
 * @param accessTokenTtl lifetime of access tokens, answered as {@code expires_in} and {@code ext_expires_in}
 *     (Entra's examples all show 3599 seconds)
 */
@ConfigurationProperties(prefix = "hub.sandbox.entra")
public record EntraSandboxProperties(@DefaultValue("3599s") Duration accessTokenTtl) {

    @ConstructorBinding
    public EntraSandboxProperties {
        accessTokenTtl = accessTokenTtl == null || accessTokenTtl.isNegative() || accessTokenTtl.isZero()
                ? Duration.ofSeconds(3599) : accessTokenTtl;
    }
}
