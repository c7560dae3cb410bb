package providers.zoom;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import providers.PermanentProviderException;

/**
 * Where a pass over the selected users' recordings stands, as the hub keeps it between pages: the users (ids, listed at
 * the pass's start), the one being read, the first day of the date window being read (Zoom lists at most a month at a
 * time), Zoom's {@code next_page_token} in it, the last day the pass reads, and when it began (the next pass's start).
 */
record ZoomPass(List<String> users, int user, LocalDate from, String pageToken, LocalDate first, LocalDate last, String passStart) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The window from {@code from}: a month at most, not past the pass's last day. */
    LocalDate to() {
        LocalDate monthEnd = from.plusMonths(1).minusDays(1);
        return monthEnd.isAfter(last) ? last : monthEnd;
    }

    /** The same window at Zoom's next page token. */
    ZoomPass nextPage(String token) {
        return new ZoomPass(users, user, from, token, first, last, passStart);
    }

    /** The next window of this user, else the next user from the first day; null past the last user. */
    ZoomPass nextWindow() {
        LocalDate next = to().plusDays(1);
        if (!next.isAfter(last)) {
            return new ZoomPass(users, user, next, null, first, last, passStart);
        }
        return user + 1 >= users.size() ? null : new ZoomPass(users, user + 1, first, null, first, last, passStart);
    }

    String encode() {
        ObjectNode node = JSON.createObjectNode().put("i", user).put("f", from.toString()).put("t", pageToken).put("a", first.toString())
                .put("l", last.toString()).put("s", passStart);
        users.forEach(u -> node.withArray("u").add(u));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(node.toString().getBytes(StandardCharsets.UTF_8));
    }

    static ZoomPass decode(String text) {
        try {
            JsonNode node = JSON.readTree(Base64.getUrlDecoder().decode(text));
            List<String> users = new ArrayList<>();
            node.path("u").forEach(u -> users.add(u.asText()));
            int user = node.path("i").asInt(-1);
            if (users.isEmpty() || user < 0 || user >= users.size()) {
                throw new IllegalArgumentException("no such user");
            }
            return new ZoomPass(users, user, LocalDate.parse(node.path("f").asText()), node.path("t").isNull() ? null : node.path("t").asText(null),
                    LocalDate.parse(node.path("a").asText()), LocalDate.parse(node.path("l").asText()), node.path("s").asText());
        } catch (RuntimeException | java.io.IOException e) {
            throw new PermanentProviderException("Zoom page cursor no longer applies (it is not the adapter's); the pass starts again");
        }
    }
}
