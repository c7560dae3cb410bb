package sandbox.slack;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import sandbox.kit.AccessTokens;
import sandbox.kit.IssuedTokens;
import sandbox.kit.Population;
import sandbox.kit.TokenText;
import sandbox.kit.Workspaces;

/**
 * The Slack sandbox's workspaces and tokens. The static bot token {@code xoxb-sandbox} is the default workspace's,
 * {@code xoxb-sandbox-<name>} a named one's (made and seeded on first use); OAuth v2 issues {@code xoxb-} tokens for a
 * workspace, which with token rotation expire after {@code access-token-ttl} and come with an {@code xoxe-1-} refresh
 * token. A workspace whose tokens were revoked (setup) answers {@code token_revoked} to all of them.
 */
final class SlackSandbox {

    static final String STATIC_TOKEN = "xoxb-sandbox";
    static final String CLIENT_ID = "sandbox-client";
    static final String CLIENT_SECRET = "sandbox-secret";

    final SlackSandboxProperties properties;
    final SlackEvents events;
    final Population population;
    private final Workspaces<SlackWorkspace> workspaces;
    private final AccessTokens tokens;
    private final Clock clock;
    /** Incoming webhooks by their secret path part: the workspace and channel each posts to. */
    final Map<String, IncomingWebhook> incomingWebhooks = new ConcurrentHashMap<>();

    /** An incoming webhook of a workspace's channel ({@code /services/<team>/<bot>/<secret>}). */
    record IncomingWebhook(String workspace, String channelId, String teamId, String botId, String secret) {

        String path() {
            return "/services/" + teamId + "/" + botId + "/" + secret;
        }
    }

    SlackSandbox(SlackSandboxProperties properties, SlackEvents events, Clock clock) {
        this.properties = properties;
        this.events = events;
        this.clock = clock;
        this.population = new Population(properties.seed(), Population.DEFAULT_SHARED_SHARE);
        this.tokens = new AccessTokens(clock);
        this.workspaces = new Workspaces<>(new Workspaces.Naming("Slack sandbox", "workspace", "hub.sandbox.slack"),
                new Workspaces.Limits(properties.maxWorkspaces(), properties.maxWorkspacesPerClient(), properties.workspaceIdleAfter()),
                clock, this::create, Workspaces.Refusal.withHint("use a workspace that exists or the default one (xoxb-sandbox)"));
    }

    private SlackWorkspace create(String name) {
        return new SlackWorkspace(name, properties, clock).seed(population, properties.channels(), properties.messagesPerChannel(),
                properties.threadEvery());
    }

    /** The workspace of a static token ({@code xoxb-sandbox[-name]}), made on first use; null for other tokens. */
    SlackWorkspace ofStaticToken(String token, String client) {
        if (token.equals(STATIC_TOKEN)) {
            return workspaces.get(Workspaces.DEFAULT, client);
        }
        if (token.startsWith(STATIC_TOKEN + "-")) {
            String name = token.substring(STATIC_TOKEN.length() + 1);
            if (name.isEmpty() || name.length() > 64 || !name.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '-' || c == '_')) {
                return null;
            }
            return workspaces.get(name, client);
        }
        return null;
    }

    /**
     * The workspace a token acts for, or Slack's error: {@code not_authed} without a token, {@code invalid_auth} for one
     * never issued, {@code token_expired} for an expired rotating token, {@code token_revoked} after a revocation.
     */
    SlackWorkspace authenticate(String token, String client) {
        if (token == null || token.isBlank()) {
            throw SlackApiError.of("not_authed");
        }
        SlackWorkspace workspace;
        try {
            workspace = ofStaticToken(token, client);
        } catch (Workspaces.Full e) {
            throw SlackApiError.of("team_access_not_granted");
        }
        if (workspace == null) {
            IssuedTokens.Issued<AccessTokens.Access> grant = tokens.access(token);
            if (grant == null) {
                throw SlackApiError.of("invalid_auth");
            }
            if (tokens.workspaceOf(token) == null) {
                throw SlackApiError.of("token_expired");
            }
            workspace = workspaces.find(grant.grant().workspace());
            if (workspace == null) {
                throw SlackApiError.of("account_inactive");
            }
        }
        if (workspace.revoked()) {
            throw SlackApiError.of("token_revoked");
        }
        return workspace;
    }

    SlackWorkspace find(String name) {
        return workspaces.find(name);
    }

    /** The workspace seeded anew (every change dropped), with the given sizes. */
    SlackWorkspace reset(SlackWorkspace workspace, int channels, int messagesPerChannel, int threadEvery) {
        events.unsubscribe(workspace);
        return workspaces.replace(workspace.name, old -> new SlackWorkspace(old.name, properties, clock)
                .seed(population, channels, messagesPerChannel, threadEvery));
    }

    String issueCode(SlackWorkspace workspace, String redirectUri) {
        return tokens.issueCode(TokenText.urlSafe(32), workspace.name, redirectUri, null, null);
    }

    AccessTokens.Code redeemCode(String code) {
        return tokens.redeemCode(code);
    }

    /** An access token (rotating: it expires) and its refresh token. */
    String[] issueRotating(SlackWorkspace workspace, String fromRefresh) {
        String refresh = tokens.issueRefresh("xoxe-1-" + TokenText.urlSafe(40), workspace.name);
        String access = tokens.issueAccess("xoxb-" + TokenText.urlSafe(40), workspace.name, fromRefresh, ttl(workspace));
        return new String[] {access, refresh};
    }

    /** The workspace of a refresh token, taken out (Slack revokes a refresh token once used); null when unknown. */
    String takeRefresh(String refreshToken) {
        return tokens.takeRefresh(refreshToken);
    }

    /** The lifetime of the workspace's rotating access tokens: its own (setup), else the configured one. */
    Duration ttl(SlackWorkspace workspace) {
        Duration own = workspace.accessTokenTtl();
        return own != null ? own : properties.accessTokenTtl();
    }

    int expireAccessTokens(SlackWorkspace workspace) {
        return tokens.expireAccess(workspace.name);
    }
}
