package processors.writeback;

import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.SynchronizationAdapter;
import org.springframework.stereotype.Component;

import ratelimits.Limit;
import ratelimits.Operation;
import ratelimits.ProviderGate;
import store.OutboxEntry;

/**
 * Reserves the provider calls the write makes when nothing gets in its way (read, write and re-read
 * together), so it is seldom stopped half-way by the rate limits. A refusal throws
 * {@link providers.ThrottledException}: the request waits on its queue. The reservation is given
 * back (what was not used) when the exchange ends, on this consumer's thread.
 */
@Component
public class ReserveCalls implements Processor {

    public static final String ID = "reserve-calls";
    private static final Map<String, Map<Operation, Integer>> CALLS = Map.of(
            OutboxEntry.CREATE, Map.of(Operation.CREATE, 1, Operation.FETCH, 1),
            OutboxEntry.UPDATE, Map.of(Operation.FETCH, 2, Operation.UPDATE, 1),
            OutboxEntry.DELETE, Map.of(Operation.DELETE, 1));

    private final ProviderGate gate;

    public ReserveCalls(ProviderGate gate) {
        this.gate = gate;
    }

    @Override
    public void process(Exchange exchange) {
        WriteBackJob job = WriteBackJob.at(exchange, ID);
        String operation = job.entry().operation();
        job.stage(operation);
        ProviderGate.Reservation calls = gate.reserve(job.connection(), CALLS.get(operation),
                Limit.providerDefault(job.adapter().descriptor()));
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                calls.close();
            }
        });
    }
}
