package processors.matching;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/**
 * The default contact rules keep their accuracy on FEBRL 4 (a copy in the test resources, so it runs in every build): the
 * goals of entity resolution, F1 at least 0.98, fewer than 0.5 % of pairs compared, pair completeness at
 * least 99.5 %. A change of the defaults, a normalizer or a comparator that loses them fails here.
 */
class FebrlAccuracyTest {

    private static final Path DATA = Path.of("src/test/resources/febrl");

    @Test
    void theDefaultContactRulesReachTheGoalsOnFebrl4() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();

        FebrlBenchmark.Result result = FebrlBenchmark.run(DATA, 50, new PrintStream(printed, true, StandardCharsets.UTF_8));

        String figures = printed.toString(StandardCharsets.UTF_8);
        assertThat(result.f1()).as(figures).isGreaterThanOrEqualTo(0.98);
        assertThat(result.comparedShare()).as(figures).isLessThan(0.005);
        assertThat(result.pairCompleteness()).as(figures).isGreaterThanOrEqualTo(0.995);
    }
}
