package processors.sync;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import providers.FetchPage;
import providers.FetchRequest;

/**
 * Fetches the run's next page from the provider and puts its records in the body, cut short
 * where maxRecordsPerSync ends the run. Provider errors surface classified for the error policy.
 */
@Component
public class PageFetcher implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(PageFetcher.class);

    private final int pageSize;

    public PageFetcher(@Value("${hub.sync.page-size}") int pageSize) {
        this.pageSize = pageSize;
    }

    /** Whether a change marker lies beyond the provider's resume granule of the run's starting point. */
    private static boolean movedPast(SyncRun run, String version) {
        String granule = run.adapter().resumeGranule(version);
        return granule != null && !granule.equals(run.adapter().resumeGranule(run.since()));
    }

    private static String version(SyncRun run, Map<String, Object> record) {
        Object value = record.get(run.mapping().externalVersionPath());
        return value == null ? null : value.toString();
    }

    @Override
    public void process(Exchange exchange) {
        SyncRun run = exchange.getProperty(SyncRun.PROPERTY, SyncRun.class);
        long remaining = run.remaining();
        int size = (int) Math.min(pageSize, remaining);
        FetchRequest request = new FetchRequest(run.entity(), run.fields(), run.mapping().externalVersionPath(), run.filters(),
                run.since(), run.pageCursor(), size);
        FetchPage page = run.adapter().fetchRecords(run.connection(), request);
        if (run.announceResume() && !SyncWaiting.THROTTLED.equals(run.waitingFor())) {
            // the end of an outage, once; a throttled run going on page by page is not news
            LOG.info("Execution {} of {} goes on after waiting ({}) since {}", run.executionId(), run.entity(), run.waitingFor(),
                    Instant.ofEpochMilli(run.waitingSince(System.currentTimeMillis())));
        }
        List<Map<String, Object>> records = page.records();
        int cut = (int) Math.min(records.size(), remaining);
        boolean stop = records.size() >= remaining;
        if (stop && run.since() != null && !movedPast(run, run.lastVersion())) {
            // stopping inside the resume granule the run started from would make the next run re-read
            // the same records forever: the limit waits until the change marker moves on
            while (cut < records.size() && (cut == 0 || !movedPast(run, version(run, records.get(cut - 1))))) {
                cut++;
            }
            stop = cut > 0 && movedPast(run, version(run, records.get(cut - 1)));
        }
        boolean truncated = stop && cut < records.size();
        if (truncated) {
            records = records.subList(0, cut);
        }
        run.pageFetched(page.nextPageCursor(), records.size(), stop && (truncated || page.hasMore()));
        exchange.getMessage().setBody(records);
    }
}
