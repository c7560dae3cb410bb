package hub;

import org.springframework.context.ApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Whether this hub is shutting down: set when its application context starts closing (SIGTERM), before Camel's routes
 * are stopped, and not when a child context closes. Long work (a sync run, a resolution run) looks at it between pages,
 * stops there and resumes after the restart.
 */
@Component
public class ShutdownSignal {

    private final ApplicationContext context;
    private volatile boolean stopping;

    public ShutdownSignal(ApplicationContext context) {
        this.context = context;
    }

    @EventListener
    public void closing(ContextClosedEvent event) {
        if (event.getApplicationContext() == context) {
            stopping = true;
        }
    }

    public boolean isStopping() {
        return stopping;
    }
}
