package sandbox.slack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.NavigableMap;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;
import sandbox.kit.AccessTokens;
import sandbox.kit.CallAdmission;

/**
 * Slack's Web API as the sandbox serves it: {@code POST /sandbox/slack/api/<method>} (form-encoded, or GET with a query),
 * the token as {@code Authorization: Bearer} or a {@code token} parameter, every answer HTTP 200 with {@code ok} true or
 * false and an {@code error} code, except 429 with {@code Retry-After} when the method's tier window is full (Tier 3:
 * {@code conversations.*}, {@code chat.*} but {@code chat.postMessage}, which is paced one message a second a channel; Tier 4:
 * {@code users.info}). Cursor paging with
 * {@code response_metadata.next_cursor} (empty on the last page). Methods: {@code auth.test}, {@code conversations.list},
 * {@code conversations.info}, {@code conversations.history}, {@code conversations.replies}, {@code users.info},
 * {@code chat.getPermalink}, {@code chat.postMessage}, {@code oauth.v2.access}; and the OAuth consent page
 * {@code /sandbox/slack/oauth/v2/authorize}, which consents at once.
 */
@RestController
@ConditionalOnProperty(name = {"hub.sandbox.enabled", "hub.sandbox.slack.enabled"}, havingValue = "true")
public class SlackApiController extends SlackApiSupport {

    static final int DEFAULT_HISTORY_LIMIT = 100;
    static final int MAX_HISTORY_LIMIT = 999;
    static final int MAX_LIST_LIMIT = 1000;

    SlackApiController(SlackSandbox sandbox) {
        super(sandbox);
    }

    @RequestMapping(value = BASE + "/api/{method}", method = {RequestMethod.GET, RequestMethod.POST})
    public ResponseEntity<byte[]> call(@PathVariable String method, HttpServletRequest request) {
        if (method.equals("oauth.v2.access")) {
            return oauthAccess(request);
        }
        SlackWorkspace workspace = sandbox.authenticate(token(request), request.getRemoteAddr());
        String tier = switch (method) {
            // chat.postMessage has Slack's special tier: paced one a second a channel (SlackPosts), not by the Tier 3 window
            case "auth.test", "chat.postMessage" -> null;
            case "users.info" -> SlackWorkspace.TIER4;
            default -> SlackWorkspace.TIER3;
        };
        CallAdmission.Admission admission = tier == null ? workspace.calls.admit() : workspace.calls.admit(tier);
        if (!admission.allowed()) {
            throw SlackApiError.ratelimited(admission.retryAfterSeconds());
        }
        workspace.apiCalls.incrementAndGet();
        return switch (method) {
            case "auth.test" -> ok(object().put("url", workspace.url()).put("team", "Sandbox " + workspace.domain)
                    .put("user", "castiel-sandbox").put("team_id", workspace.teamId).put("user_id", workspace.botUserId)
                    .put("bot_id", workspace.botId).put("is_enterprise_install", false));
            case "conversations.list" -> list(workspace, request);
            case "conversations.info" -> {
                SlackWorkspace.Channel channel = channel(workspace, request.getParameter("channel"), false);
                ObjectNode body = object();
                body.set("channel", SlackJson.channel(channel));
                yield ok(body);
            }
            case "conversations.history" -> history(workspace, request);
            case "conversations.replies" -> replies(workspace, request);
            case "users.info" -> {
                SlackWorkspace.User user = workspace.users.get(request.getParameter("user"));
                if (user == null) {
                    throw SlackApiError.of("user_not_found");
                }
                ObjectNode body = object();
                body.set("user", SlackJson.user(workspace, user));
                yield ok(body);
            }
            case "chat.getPermalink" -> {
                SlackWorkspace.Channel channel = channel(workspace, request.getParameter("channel"), false);
                Long ts = SlackWorkspace.parseTs(request.getParameter("message_ts"));
                SlackWorkspace.Message message = ts == null ? null : workspace.find(channel, ts);
                if (message == null) {
                    throw SlackApiError.of("message_not_found");
                }
                yield ok(object().put("channel", channel.id).put("permalink", permalink(workspace, channel, message)));
            }
            case "chat.postMessage" -> postMessage(workspace, request);
            default -> throw SlackApiError.of("unknown_method");
        };
    }

    /** Slack's permalink: {@code <workspace url>archives/<channel>/p<ts without the dot>}, a reply's with its thread. */
    static String permalink(SlackWorkspace workspace, SlackWorkspace.Channel channel, SlackWorkspace.Message message) {
        String link = workspace.url() + "archives/" + channel.id + "/p" + SlackWorkspace.ts(message.ts).replace(".", "");
        return message.threadTs == null ? link
                : link + "?thread_ts=" + SlackWorkspace.ts(message.threadTs) + "&cid=" + channel.id;
    }

    private SlackWorkspace.Channel channel(SlackWorkspace workspace, String idOrName, boolean needMember) {
        SlackWorkspace.Channel channel = workspace.channel(idOrName);
        if (channel == null) {
            throw SlackApiError.of("channel_not_found");
        }
        if (needMember && !channel.member) {
            throw SlackApiError.of("not_in_channel");
        }
        return channel;
    }

    private ResponseEntity<byte[]> list(SlackWorkspace workspace, HttpServletRequest request) {
        int limit = limit(request.getParameter("limit"), 100, MAX_LIST_LIMIT);
        String types = request.getParameter("types");
        boolean publicChannels = types == null || types.isBlank() || List.of(types.split(",")).contains("public_channel");
        List<SlackWorkspace.Channel> all;
        synchronized (workspace) {
            all = publicChannels ? new ArrayList<>(workspace.channels.values()) : List.of();
        }
        int from = 0;
        String cursor = request.getParameter("cursor");
        if (cursor != null && !cursor.isEmpty()) {
            from = (int) cursorValue(cursor, "team");
            if (from < 0 || from > all.size()) {
                throw SlackApiError.of("invalid_cursor");
            }
        }
        int to = Math.min(all.size(), from + limit);
        ObjectNode body = object();
        ArrayNode channels = body.putArray("channels");
        all.subList(from, to).forEach(c -> channels.add(SlackJson.channel(c)));
        body.putObject("response_metadata").put("next_cursor", to < all.size() ? cursor("team", to) : "");
        return ok(body);
    }

    /**
     * Messages of the window between {@code oldest} and {@code latest} (inclusive of both with {@code inclusive}), newest
     * first. With a {@code latest} (or neither bound) the page holds those closest to {@code latest}; with only
     * {@code oldest} those closest to {@code oldest} (the rule Slack's docs give for paging forward), so a poller that
     * moves {@code oldest} to the newest message it saw loses none. Cursors go on in the same direction.
     */
    private ResponseEntity<byte[]> history(SlackWorkspace workspace, HttpServletRequest request) {
        SlackWorkspace.Channel channel = channel(workspace, request.getParameter("channel"), true);
        Long oldest = bound(request.getParameter("oldest"), "invalid_ts_oldest");
        Long latest = bound(request.getParameter("latest"), "invalid_ts_latest");
        boolean inclusive = flag(request.getParameter("inclusive"));
        int limit = limit(request.getParameter("limit"), DEFAULT_HISTORY_LIMIT, MAX_HISTORY_LIMIT);
        boolean forward = oldest != null && latest == null;
        String cursor = request.getParameter("cursor");
        List<SlackWorkspace.Message> page = new ArrayList<>();
        boolean more;
        synchronized (workspace) {
            NavigableMap<Long, SlackWorkspace.Message> window = channel.messages;
            if (oldest != null) {
                window = window.tailMap(oldest, inclusive);
            }
            if (latest != null) {
                window = window.headMap(latest, inclusive);
            }
            if (cursor != null && !cursor.isEmpty()) {
                long at = cursorValue(cursor, forward ? "next_oldest" : "next_ts");
                window = forward ? window.tailMap(at, false) : window.headMap(at, false);
            }
            NavigableMap<Long, SlackWorkspace.Message> ordered = forward ? window : window.descendingMap();
            for (SlackWorkspace.Message m : ordered.values()) {
                if (page.size() == limit) {
                    break;
                }
                page.add(m);
            }
            more = ordered.size() > page.size();
        }
        ObjectNode body = object();
        ArrayNode messages = body.putArray("messages");
        List<SlackWorkspace.Message> newestFirst = new ArrayList<>(page);
        if (forward) {
            Collections.reverse(newestFirst);
        }
        synchronized (workspace) {
            newestFirst.forEach(m -> messages.add(SlackJson.message(m, true)));
        }
        body.put("has_more", more).put("pin_count", 0).putNull("channel_actions_ts").put("channel_actions_count", 0);
        String next = !more || page.isEmpty() ? "" : cursor(forward ? "next_oldest" : "next_ts", page.get(page.size() - 1).ts);
        body.putObject("response_metadata").put("next_cursor", next);
        return ok(body);
    }

    /** A thread: its parent first, then its replies oldest first within the window, paged. */
    private ResponseEntity<byte[]> replies(SlackWorkspace workspace, HttpServletRequest request) {
        SlackWorkspace.Channel channel = channel(workspace, request.getParameter("channel"), true);
        Long ts = SlackWorkspace.parseTs(request.getParameter("ts"));
        if (ts == null) {
            throw SlackApiError.of(request.getParameter("ts") == null ? "invalid_arguments" : "thread_not_found");
        }
        Long oldest = bound(request.getParameter("oldest"), "invalid_ts_oldest");
        Long latest = bound(request.getParameter("latest"), "invalid_ts_latest");
        boolean inclusive = flag(request.getParameter("inclusive"));
        int limit = limit(request.getParameter("limit"), 1000, MAX_LIST_LIMIT);
        String cursor = request.getParameter("cursor");
        ObjectNode body = object();
        ArrayNode messages = body.putArray("messages");
        boolean more;
        long last = 0;
        synchronized (workspace) {
            SlackWorkspace.Message found = workspace.find(channel, ts);
            SlackWorkspace.Message parent = found == null ? null : found.threadTs == null ? found : channel.messages.get(found.threadTs);
            if (parent == null) {
                throw SlackApiError.of("thread_not_found");
            }
            NavigableMap<Long, SlackWorkspace.Message> window = parent.replies;
            if (oldest != null) {
                window = window.tailMap(oldest, inclusive);
            }
            if (latest != null) {
                window = window.headMap(latest, inclusive);
            }
            boolean first = cursor == null || cursor.isEmpty();
            if (!first) {
                window = window.tailMap(cursorValue(cursor, "next_reply"), false);
            }
            if (first) {
                messages.add(SlackJson.message(parent, true));
            }
            int taken = 0;
            for (SlackWorkspace.Message reply : window.values()) {
                if (taken == limit) {
                    break;
                }
                messages.add(SlackJson.reply(reply, parent));
                last = reply.ts;
                taken++;
            }
            more = window.size() > taken;
        }
        body.put("has_more", more);
        body.putObject("response_metadata").put("next_cursor", more ? cursor("next_reply", last) : "");
        return ok(body);
    }

    /**
     * chat.postMessage: {@code text}, and {@code blocks} (Block Kit JSON, checked against Slack's limits: 50 blocks, 3,000
     * characters a section text); paced one message a second a channel (429 with Retry-After). Recorded with its answer.
     */
    private ResponseEntity<byte[]> postMessage(SlackWorkspace workspace, HttpServletRequest request) {
        String channelParam = request.getParameter("channel");
        String text = request.getParameter("text");
        JsonNode blocks = SlackIncomingWebhooks.blocks(request.getParameter("blocks"));
        try {
            return postMessage(workspace, request, channelParam, text, blocks);
        } catch (SlackApiError e) {
            SlackWorkspace.Channel known = channelParam == null ? null : workspace.channel(channelParam);
            workspace.posts.record("chat.postMessage", known == null ? channelParam : known.id, text, blocks, e.status, e.error,
                    e.status == 429 ? e.retryAfterSeconds : null);
            throw e;
        }
    }

    private ResponseEntity<byte[]> postMessage(SlackWorkspace workspace, HttpServletRequest request, String channelParam, String text,
                                               JsonNode blocks) {
        SlackWorkspace.Channel channel = channel(workspace, channelParam, true);
        if ((text == null || text.isEmpty()) && blocks == null) {
            throw SlackApiError.of("no_text");
        }
        if (text != null && text.length() > 40_000) {
            throw SlackApiError.of("msg_too_long");
        }
        String invalid = SlackIncomingWebhooks.invalidBlocks(blocks);
        if (invalid != null) {
            throw SlackApiError.of(invalid);
        }
        long wait = workspace.posts.admit(channel.id);
        if (wait > 0) {
            throw SlackApiError.ratelimited(wait);
        }
        if (text == null || text.isEmpty()) {
            text = "(blocks)";
        }
        Long threadTs = null;
        if (request.getParameter("thread_ts") != null) {
            threadTs = SlackWorkspace.parseTs(request.getParameter("thread_ts"));
            if (threadTs == null) {
                throw SlackApiError.of("invalid_thread_ts");
            }
        }
        SlackWorkspace.Message message = workspace.post(channel, workspace.botUserId, text, threadTs);
        if (message == null) {
            throw SlackApiError.of("thread_not_found");
        }
        ObjectNode body = object().put("channel", channel.id).put("ts", SlackWorkspace.ts(message.ts));
        body.set("message", SlackJson.message(message, false).put("bot_id", workspace.botId));
        workspace.posts.record("chat.postMessage", channel.id, text, blocks, 200, null, null);
        return ok(body);
    }

    /**
     * {@code oauth.v2.access}: the client by HTTP Basic or {@code client_id}/{@code client_secret}; an authorization
     * {@code code} (with its {@code redirect_uri}) or {@code grant_type=refresh_token}. Tokens rotate: the access token
     * expires ({@code expires_in}) and the refresh token is single use.
     */
    private ResponseEntity<byte[]> oauthAccess(HttpServletRequest request) {
        String clientId = request.getParameter("client_id");
        String clientSecret = request.getParameter("client_secret");
        String basic = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (basic != null && basic.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String pair = new String(Base64.getDecoder().decode(basic.substring(6).trim()), StandardCharsets.UTF_8);
                int colon = pair.indexOf(':');
                if (colon > 0) {
                    clientId = pair.substring(0, colon);
                    clientSecret = pair.substring(colon + 1);
                }
            } catch (IllegalArgumentException e) {
                throw SlackApiError.of("invalid_client_id");
            }
        }
        if (!SlackSandbox.CLIENT_ID.equals(clientId)) {
            throw SlackApiError.of("invalid_client_id");
        }
        if (!SlackSandbox.CLIENT_SECRET.equals(clientSecret)) {
            throw SlackApiError.of("bad_client_secret");
        }
        SlackWorkspace workspace;
        String refresh = null;
        if ("refresh_token".equals(request.getParameter("grant_type"))) {
            refresh = request.getParameter("refresh_token");
            String name = refresh == null ? null : sandbox.takeRefresh(refresh);
            workspace = name == null ? null : sandbox.find(name);
            if (workspace == null) {
                throw SlackApiError.of("invalid_refresh_token");
            }
        } else {
            String code = request.getParameter("code");
            AccessTokens.Code grant = code == null ? null : sandbox.redeemCode(code);
            if (grant == null) {
                throw SlackApiError.of("invalid_code");
            }
            String redirect = request.getParameter("redirect_uri");
            if (grant.redirectUri() != null && redirect != null && !grant.redirectUri().equals(redirect)) {
                throw SlackApiError.of("bad_redirect_uri");
            }
            workspace = sandbox.find(grant.workspace());
            if (workspace == null) {
                throw SlackApiError.of("invalid_code");
            }
        }
        if (workspace.revoked()) {
            throw SlackApiError.of("token_revoked");
        }
        String[] issued = sandbox.issueRotating(workspace, refresh);
        ObjectNode body = object().put("access_token", issued[0]).put("token_type", "bot")
                .put("scope", "channels:history,channels:read,users:read,chat:write").put("bot_user_id", workspace.botUserId)
                .put("app_id", "A" + SlackWorkspace.id("castiel-sandbox-app", 10)).putNull("enterprise").put("is_enterprise_install", false)
                .put("expires_in", sandbox.ttl(workspace).toSeconds()).put("refresh_token", issued[1]);
        body.putObject("team").put("name", "Sandbox " + workspace.domain).put("id", workspace.teamId);
        body.putObject("authed_user").put("id", workspace.botUserId);
        return ok(body);
    }

    /**
     * The consent screen, consented at once: back to the (loopback) {@code redirect_uri} with a code for the workspace the
     * {@code team} (or {@code login_hint}) parameter names (a sandbox workspace name; the default one without
     * it) and the {@code state}.
     */
    @GetMapping(BASE + "/oauth/v2/authorize")
    public ResponseEntity<byte[]> authorize(HttpServletRequest request) {
        String redirect = request.getParameter("redirect_uri");
        if (!SlackSandbox.CLIENT_ID.equals(request.getParameter("client_id"))) {
            throw SlackApiError.setup("client_id: unknown client (the sandbox app is " + SlackSandbox.CLIENT_ID + ")");
        }
        if (redirect == null || !AccessTokens.isLoopbackRedirect(redirect)) {
            throw SlackApiError.setup("redirect_uri: must be a loopback http(s) URL");
        }
        // the consent screen's workspace picker: the sandbox workspace named by team (Slack's own parameter) or login_hint
        String team = request.getParameter("team") != null ? request.getParameter("team") : request.getParameter("login_hint");
        SlackWorkspace workspace = sandbox.ofStaticToken(team == null || team.isBlank() ? SlackSandbox.STATIC_TOKEN
                : SlackSandbox.STATIC_TOKEN + "-" + team, request.getRemoteAddr());
        if (workspace == null) {
            throw SlackApiError.setup("team: not a sandbox workspace name");
        }
        String code = sandbox.issueCode(workspace, redirect);
        String state = request.getParameter("state");
        String location = redirect + (redirect.contains("?") ? "&" : "?") + "code=" + encode(code)
                + (state == null ? "" : "&state=" + encode(state));
        return ResponseEntity.status(HttpStatus.FOUND).location(URI.create(location)).build();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static Long bound(String value, String error) {
        if (value == null || value.isBlank()) {
            return null;
        }
        Long ts = SlackWorkspace.parseTs(value);
        if (ts == null) {
            throw SlackApiError.of(error);
        }
        return ts;
    }

    /** Slack takes 1/0 (the Java SDK) and true/false (the Node client). */
    private static boolean flag(String value) {
        return value != null && (value.equals("1") || value.equalsIgnoreCase("true"));
    }

    private static int limit(String value, int fallback, int max) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int limit = Integer.parseInt(value.trim());
            return limit <= 0 ? fallback : Math.min(limit, max);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
