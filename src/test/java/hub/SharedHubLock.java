package hub;

import java.util.Set;

import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLocksProvider;

/**
 * Who may use the shared hub at once: a class marked {@link PacedByProviderLimits} reads it (any number of them
 * together), every other class of the shared hub holds it alone.
 */
public final class SharedHubLock implements ResourceLocksProvider {

    private static final String SHARED_HUB = "shared-hub";

    @Override
    public Set<Lock> provideForClass(Class<?> testClass) {
        boolean paced = testClass.isAnnotationPresent(PacedByProviderLimits.class);
        return Set.of(new Lock(SHARED_HUB, paced ? ResourceAccessMode.READ : ResourceAccessMode.READ_WRITE));
    }
}
