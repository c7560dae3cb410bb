package processors;

import java.util.List;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import adapters.FetchPage;
import adapters.FetchRequest;

/**
 * Fetches the run's next page from the provider and puts its records in the body, cut short
 * where maxRecordsPerSync ends the run. Provider errors surface classified for the error policy.
 */
@Component
public class PageFetcher implements Processor {

    private final int pageSize;

    public PageFetcher(@Value("${hub.sync.page-size}") int pageSize) {
        this.pageSize = pageSize;
    }

    @Override
    public void process(Exchange exchange) {
        SyncRun run = exchange.getProperty(SyncRun.PROPERTY, SyncRun.class);
        long remaining = run.remaining();
        int size = (int) Math.min(pageSize, remaining);
        FetchRequest request = new FetchRequest(run.entity(), run.fields(), run.mapping().externalVersionPath(), run.filters(),
                run.since(), run.pageCursor(), size);
        FetchPage page = run.adapter().fetchRecords(run.connection(), request);
        List<Map<String, Object>> records = page.records();
        boolean truncated = records.size() > remaining;
        if (truncated) {
            records = records.subList(0, (int) remaining);
        }
        run.pageFetched(page.nextPageCursor(), records.size(), truncated);
        exchange.getMessage().setBody(records);
    }
}
