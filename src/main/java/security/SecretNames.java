package security;

import java.util.Locale;

/**
 * Secret names as the system description lays them out:
 * {@code tenant-{tenantId}-{provider}-{instanceId}-{kind}}, user-scoped and system forms.
 */
public final class SecretNames {

    private SecretNames() {
    }

    public static String tenant(String tenantId, String provider, String instanceId, String kind) {
        return "tenant-" + part(tenantId) + "-" + part(provider) + "-" + part(instanceId) + "-" + kind;
    }

    public static String user(String tenantId, String userId, String provider, String instanceId, String kind) {
        return "tenant-" + part(tenantId) + "-user-" + part(userId) + "-" + part(provider) + "-" + part(instanceId) + "-" + kind;
    }

    public static String system(String provider, String kind) {
        return "system-" + part(provider) + "-" + kind;
    }

    // Key Vault secret names allow only letters, digits and dashes.
    private static String part(String value) {
        return value.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
    }
}
