package providers.github;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ConditionalPagesTest {

    private static ConditionalPages.Page page(String etag, int size) {
        return new ConditionalPages.Page(etag, new byte[size], null);
    }

    @Test
    void theLeastRecentlyUsedPagesGoWhenTheBytesRunOut() {
        ConditionalPages pages = new ConditionalPages(100);
        pages.put("a", "/1", page("\"1\"", 40));
        pages.put("a", "/2", page("\"2\"", 40));
        assertThat(pages.get("a", "/1").etag()).isEqualTo("\"1\"");
        pages.put("b", "/1", page("\"3\"", 40));
        // /2 of a was used least recently
        assertThat(pages.get("a", "/2")).isNull();
        assertThat(pages.get("a", "/1")).isNotNull();
        assertThat(pages.get("b", "/1").etag()).isEqualTo("\"3\"");
        assertThat(pages.bytes()).isEqualTo(80);
        pages.put("a", "/1", page("\"4\"", 10));
        assertThat(pages.bytes()).isEqualTo(50);
        pages.put("c", "/big", page("\"5\"", 101));
        assertThat(pages.get("c", "/big")).isNull();
        pages.forget("a");
        assertThat(pages.get("a", "/1")).isNull();
        assertThat(pages.bytes()).isEqualTo(40);
    }
}
