package sandbox.salesforce;

import java.util.Map;

/**
 * Told about every record change in the sandbox, after it is stored; beans of this type are picked up
 * (for outbound messages or streaming events built on the sandbox). Exceptions are logged and ignored.
 */
public interface SalesforceChangeListener {

    /**
     * @param orgId the org's 18-char id
     * @param type the sObject name, e.g. {@code Account}
     * @param changeType {@code created}, {@code updated} or {@code deleted}
     * @param record every field of the record after the change, with Java values ({@link java.time.Instant}
     *     for datetimes, {@link java.time.LocalDate} for dates, a map for a compound address)
     */
    void recordChanged(String orgId, String type, String changeType, Map<String, Object> record);
}
