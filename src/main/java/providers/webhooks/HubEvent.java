package providers.webhooks;

/**
 * A change the provider told us about, in hub terms.
 *
 * @param type "&lt;noun&gt;.&lt;verb&gt;", e.g. "contact.updated"; always valid as a subscription pattern
 * @param providerEntity the provider's name for the record type, e.g. "Account" or "issues"; null when none
 * @param externalId the changed record's provider id, or null
 * @param providerEventType the event as the provider named it
 * @param parentId the provider id of the record the changed one belongs to (a reply's thread), or null
 */
public record HubEvent(String type, String providerEntity, String externalId, String providerEventType, String parentId) {

    public HubEvent(String type, String providerEntity, String externalId, String providerEventType) {
        this(type, providerEntity, externalId, providerEventType, null);
    }
}
