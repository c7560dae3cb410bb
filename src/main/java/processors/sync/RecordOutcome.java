package processors.sync;

import processors.mapping.MappedRecord;

/**
 * What mapping made of one provider record: a mapped record, the reason it failed, or the integrator route that
 * skipped it ({@code skippedBy}; its version still moves the cursor on).
 */
public record RecordOutcome(String externalId, String version, MappedRecord mapped, String failure, String skippedBy) {

    static RecordOutcome mapped(MappedRecord record) {
        return new RecordOutcome(record.externalId(), record.externalVersion(), record, null, null);
    }

    static RecordOutcome failed(String externalId, String version, String reason) {
        return new RecordOutcome(externalId, version, null, reason, null);
    }

    RecordOutcome skipped(String routeId) {
        return new RecordOutcome(externalId, version, null, null, routeId);
    }
}
