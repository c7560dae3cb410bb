package sandbox.slack;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashSet;
import java.util.Set;

/** Slack's objects as its Web API writes them: messages, channels, users. */
final class SlackJson {

    private SlackJson() {
    }

    /**
     * A message: a thread parent carries {@code thread_ts}, {@code reply_count}, {@code reply_users}, {@code latest_reply}
     * (when {@code withThread}); a reply its parent's {@code thread_ts} and {@code parent_user_id}; an edited one {@code edited}.
     */
    static ObjectNode message(SlackWorkspace.Message m, boolean withThread) {
        ObjectNode node = SlackEvents.JSON.createObjectNode().put("type", "message");
        if (m.subtype != null) {
            node.put("subtype", m.subtype);
        }
        node.put("user", m.user).put("text", m.text).put("ts", SlackWorkspace.ts(m.ts));
        if (m.editedTs != null) {
            node.putObject("edited").put("user", m.user).put("ts", SlackWorkspace.ts(m.editedTs));
        }
        if (m.threadTs != null) {
            node.put("thread_ts", SlackWorkspace.ts(m.threadTs));
        } else if (withThread && !m.replies.isEmpty()) {
            node.put("thread_ts", SlackWorkspace.ts(m.ts)).put("reply_count", m.replies.size());
            Set<String> repliers = new LinkedHashSet<>();
            m.replies.values().forEach(r -> repliers.add(r.user));
            ArrayNode users = node.putArray("reply_users");
            repliers.forEach(users::add);
            node.put("reply_users_count", repliers.size()).put("latest_reply", SlackWorkspace.ts(m.replies.lastKey()));
        }
        return node;
    }

    static ObjectNode reply(SlackWorkspace.Message m, SlackWorkspace.Message parent) {
        return message(m, false).put("parent_user_id", parent.user);
    }

    static ObjectNode channel(SlackWorkspace.Channel c) {
        ObjectNode node = SlackEvents.JSON.createObjectNode().put("id", c.id).put("name", c.name).put("name_normalized", c.name)
                .put("is_channel", true).put("is_group", false).put("is_im", false).put("is_mpim", false).put("is_private", false)
                .put("is_archived", false).put("is_general", false).put("is_member", c.member).put("is_shared", false)
                .put("is_ext_shared", false).put("is_org_shared", false).put("created", c.created).put("creator", c.creator);
        node.putObject("topic").put("value", "").put("creator", "").put("last_set", 0);
        node.putObject("purpose").put("value", c.purpose).put("creator", c.creator).put("last_set", c.created);
        return node;
    }

    static ObjectNode user(SlackWorkspace workspace, SlackWorkspace.User u) {
        ObjectNode node = SlackEvents.JSON.createObjectNode().put("id", u.id()).put("team_id", workspace.teamId).put("name", u.name())
                .put("deleted", false).put("real_name", u.realName()).put("tz", "Europe/Paris").put("tz_offset", 3600)
                .put("is_admin", false).put("is_bot", u.bot()).put("is_app_user", false).put("updated", 1_700_000_000L);
        ObjectNode profile = node.putObject("profile").put("real_name", u.realName()).put("display_name", u.displayName())
                .put("team", workspace.teamId);
        if (u.email() != null) {
            profile.put("email", u.email());
        }
        if (u.title() != null) {
            profile.put("title", u.title());
        }
        return node;
    }
}
