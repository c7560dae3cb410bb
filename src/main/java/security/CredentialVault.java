package security;

import java.util.Map;
import java.util.Optional;

/** Where credentials live: stored under a secret name, encrypted at rest, never returned by the API. */
public interface CredentialVault {

    void put(String secretName, String tenantId, Map<String, String> credentials);

    Optional<Map<String, String>> get(String secretName);

    void delete(String secretName);
}
