package processors.writeback;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;

import hub.CloudEvents;

/**
 * The {@code Castiel.Integration.WriteBackBatchRequested} message: updates of one integration's entity written back
 * together through the provider's batch API, each record at most once. {@code requests} are the rows'
 * {@link WriteBackRequest} messages as they are: a row that cannot be finished in the batch goes on as that message.
 */
public record WriteBackBatchRequest(String batchId, String integrationId, String entity, List<String> requests) {

    public static final String EVENT_TYPE = "Castiel.Integration.WriteBackBatchRequested";

    public String event(ObjectMapper json, OffsetDateTime time) {
        return CloudEvents.write(json, EVENT_TYPE, "/integrations/" + integrationId + "/batches/" + entity, batchId, time, this);
    }

    public static WriteBackBatchRequest read(ObjectMapper json, String event) {
        var data = CloudEvents.data(json, event);
        List<String> requests = new ArrayList<>();
        data.path("requests").forEach(r -> requests.add(r.asText()));
        return new WriteBackBatchRequest(data.path("batchId").asText(null), data.path("integrationId").asText(null),
                data.path("entity").asText(null), requests);
    }
}
