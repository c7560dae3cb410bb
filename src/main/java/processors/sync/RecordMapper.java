package processors.sync;

import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.stereotype.Component;

import processors.mapping.EntityMapping;
import processors.mapping.MappedRecord;
import processors.mapping.MappingException;

/**
 * Maps one provider record (the split's body) with the run's mapping and applies the {@link ContentLimit}; a bad record
 * becomes a failed outcome, not an error.
 */
@Component
public class RecordMapper implements Processor {

    private final ContentLimit contentLimit;

    public RecordMapper(ContentLimit contentLimit) {
        this.contentLimit = contentLimit;
    }

    @Override
    public void process(Exchange exchange) {
        SyncRun run = exchange.getProperty(SyncRun.PROPERTY, SyncRun.class);
        @SuppressWarnings("unchecked")
        Map<String, Object> record = exchange.getMessage().getBody(Map.class);
        exchange.getMessage().setBody(map(run.mapping(), record));
    }

    RecordOutcome map(EntityMapping mapping, Map<String, Object> record) {
        try {
            MappedRecord mapped = mapping.map(record);
            contentLimit.apply(mapped);
            return RecordOutcome.mapped(mapped);
        } catch (MappingException e) {
            return RecordOutcome.failed(text(record.get(mapping.externalIdPath())), text(record.get(mapping.externalVersionPath())),
                    e.getMessage());
        } catch (RuntimeException e) {
            return RecordOutcome.failed(text(record.get(mapping.externalIdPath())), text(record.get(mapping.externalVersionPath())),
                    "unexpected " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private static String text(Object value) {
        return value == null ? null : value.toString();
    }
}
