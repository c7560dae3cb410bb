package processors.writeback;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.springframework.stereotype.Component;

import messaging.QueueHeaders;
import providers.ThrottledException;
import ratelimits.RateLimitSettings;

/**
 * A request held back by the rate limits or the provider's circuit waits on its queue for the time
 * the limit needs (a broker delivery delay, no thread waits), not counted as an attempt, and carries
 * when its waiting began. Once it has waited longer than the maximum wait it fails like any write
 * ({@link CountAttempt}), permanently, with the reason.
 */
@Component
public class WaitThrottled implements Processor {

    public static final String ID = "wait-throttled";

    private final RateLimitSettings rateLimits;
    private final MeterRegistry meters;
    private final CountAttempt attempts;

    public WaitThrottled(RateLimitSettings rateLimits, MeterRegistry meters, CountAttempt attempts) {
        this.rateLimits = rateLimits;
        this.meters = meters;
        this.attempts = attempts;
    }

    @Override
    public void process(Exchange exchange) {
        ThrottledException e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, ThrottledException.class);
        WriteBackJob job = WriteBackJob.of(exchange);
        Message message = exchange.getMessage();
        long now = System.currentTimeMillis();
        Long header = message.getHeader(QueueHeaders.WAITING_SINCE, Long.class);
        long since = header == null ? now : header;
        String reason = rateLimits.giveUpReason(since, now, e);
        if (reason != null) {
            meters.counter("hub.ratelimit.gave-up", "flow", "write-back").increment();
            attempts.failed(exchange, job, job.stage(), reason, true);
            return;
        }
        meters.counter("hub.ratelimit.requeued", "flow", "write-back").increment();
        message.removeHeaders("*", "JMSXGroupID", "JMSType");
        message.setHeader(QueueHeaders.WAITING_SINCE, Long.toString(since));
        exchange.setProperty(CountAttempt.RETRY_IN_MS, Math.max(1, e.retryAfter().toMillis()));
    }
}
