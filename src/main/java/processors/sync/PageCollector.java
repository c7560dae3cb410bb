package processors.sync;

import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;

/** Aggregation of the record split: collects each record's outcome into the page's {@link PageBatch}. */
public class PageCollector implements AggregationStrategy {

    @Override
    public Exchange aggregate(Exchange batchExchange, Exchange recordExchange) {
        Exchange target = batchExchange == null ? recordExchange : batchExchange;
        PageBatch batch = target.getMessage().getBody() instanceof PageBatch existing ? existing : new PageBatch();
        batch.add(recordExchange.getMessage().getBody(RecordOutcome.class));
        target.getMessage().setBody(batch);
        return target;
    }
}
