package routes;

import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

import processors.resolution.ResolutionRunner;
import routes.config.QueuePolicy;

/**
 * resolution-runs: batch entity resolution in the background. The queue carries a run's id; the transacted consumer
 * takes the run up and works through it a page at a time, each page committed with the run's cursor. A crash leaves the
 * message unacknowledged, so the broker delivers it again (to this instance after its restart, or to another) and the
 * run resumes after its last committed page; a graceful stop rolls the message back at a page boundary.
 */
@Component
public class ResolutionRunRoute extends RouteBuilder {

    private final ResolutionRunner runner;

    public ResolutionRunRoute(ResolutionRunner runner) {
        this.runner = runner;
    }

    @Override
    public void configure() {
        from("jms:queue:{{hub.queue.resolution-runs}}?transacted=true&concurrentConsumers={{hub.resolution.consumers}}")
                .routeId("resolution-runs")
                .routeConfigurationId(QueuePolicy.ID)
                .process(runner::begin).id("begin-run")
                .loopDoWhile(exchangeProperty(ResolutionRunner.MORE).isEqualTo(true)).id("pages")
                    .process(runner::page).id("resolve-page")
                .end();
    }
}
