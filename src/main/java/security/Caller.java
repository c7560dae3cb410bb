package security;

/** Who is calling the API: the administrator, or a tenant through one of its keys. */
public record Caller(boolean admin, String tenantId, String keyId) {

    public static Caller administrator() {
        return new Caller(true, null, "admin");
    }

    public static Caller tenant(String tenantId, String keyId) {
        return new Caller(false, tenantId, keyId);
    }

    /** How the caller appears in the audit log. */
    public String actor() {
        return admin ? "admin" : "tenant-key:" + keyId;
    }
}
