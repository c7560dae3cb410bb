package routes.config;

import org.apache.camel.AsyncCallback;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.NamedNode;
import org.apache.camel.Processor;
import org.apache.camel.spi.InterceptStrategy;
import org.apache.camel.support.processor.DelegateAsyncProcessor;
import org.springframework.stereotype.Component;

/**
 * Remembers at which step (node id) an exchange failed, for the error policies' reports: Camel records the failed
 * route ({@code FAILURE_ROUTE_ID}) but not the step. The innermost step that raised the exception is kept; the
 * steps it propagates through (a {@code to("direct:...")}) leave it.
 */
@Component
public class FailedStep implements InterceptStrategy {

    static final String PROPERTY = "hub.failedStep";

    record Failure(Throwable exception, String step) {
    }

    @Override
    public Processor wrapProcessorInInterceptors(CamelContext context, NamedNode definition, Processor target, Processor nextTarget) {
        String step = definition.getId();
        return new DelegateAsyncProcessor(target) {
            @Override
            public boolean process(Exchange exchange, AsyncCallback callback) {
                return processor.process(exchange, doneSync -> {
                    Exception failed = exchange.getException();
                    if (failed != null) {
                        Failure known = exchange.getProperty(PROPERTY, Failure.class);
                        if (known == null || known.exception() != failed) {
                            exchange.setProperty(PROPERTY, new Failure(failed, step));
                        }
                    }
                    callback.done(doneSync);
                });
            }
        };
    }

    /** The step the caught exception was raised at, or "unknown". */
    static String of(Exchange exchange) {
        Failure failure = exchange.getProperty(PROPERTY, Failure.class);
        Exception caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        return failure != null && (caught == null || failure.exception() == caught) ? failure.step() : "unknown";
    }
}
