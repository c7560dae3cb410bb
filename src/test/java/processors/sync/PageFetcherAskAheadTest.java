package processors.sync;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

/** A run asks for its next page ahead when prefetch is on and the heap is at least hub.sync.prefetch-min-heap. */
class PageFetcherAskAheadTest {

    @Test
    void aHeapSmallerThanTheMinimumTurnsAskingAheadOff() {
        DataSize min = DataSize.ofMegabytes(256);
        assertThat(PageFetcher.asksAhead(true, min, 512L << 20)).isTrue();
        assertThat(PageFetcher.asksAhead(true, min, 256L << 20)).isTrue();
        assertThat(PageFetcher.asksAhead(true, min, 128L << 20)).isFalse();
        assertThat(PageFetcher.asksAhead(false, min, 8L << 30)).isFalse();
    }
}
