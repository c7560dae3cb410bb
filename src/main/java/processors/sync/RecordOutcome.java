package processors.sync;

import processors.mapping.MappedRecord;

/** What mapping made of one provider record: a mapped record, or the reason it failed. */
public record RecordOutcome(String externalId, String version, MappedRecord mapped, String failure) {

    static RecordOutcome mapped(MappedRecord record) {
        return new RecordOutcome(record.externalId(), record.externalVersion(), record, null);
    }

    static RecordOutcome failed(String externalId, String version, String reason) {
        return new RecordOutcome(externalId, version, null, reason);
    }
}
