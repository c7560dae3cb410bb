package processors.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class RejectionSamplerTest {

    @Test
    void oneRefusalPerRegistrationAndReasonIsLoggedPerIntervalWithTheCountLeftOut() {
        RejectionSampler sampler = new RejectionSampler(Duration.ofMinutes(1));
        long t = 1_000_000;
        assertThat(sampler.take("r1", "unauthorized", t)).isZero();
        for (int i = 1; i <= 99; i++) {
            assertThat(sampler.take("r1", "unauthorized", t + i * 100)).isEqualTo(-1);
        }
        assertThat(sampler.take("r1", "missing_header", t + 5)).as("another reason has its own window").isZero();
        assertThat(sampler.take("r2", "unauthorized", t + 5)).as("another registration too").isZero();
        assertThat(sampler.take("r1", "unauthorized", t + 60_000)).as("the next window's first, with the count left out").isEqualTo(99);
        assertThat(sampler.take("r1", "unauthorized", t + 60_001)).isEqualTo(-1);
    }
}
