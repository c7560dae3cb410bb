package security.vault;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;

import security.KeysetSource;

/** The key-encryption keyset of the local vault, in every profile but azure (where Key Vault holds the secrets). */
@Configuration
@Profile("!azure")
public class LocalVaultKeys {

    @Bean
    public KeysetSource keyEncryptionKeyset(@Value("${hub.crypto.keyset:}") String inlineKeyset,
                                            @Value("${hub.crypto.keyset-file:}") String keysetFile) {
        return KeysetSource.load(inlineKeyset, keysetFile);
    }
}
