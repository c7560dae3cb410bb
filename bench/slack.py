#!/usr/bin/env python3
"""Slack benchmark: full-sync throughput, API calls per 1,000 records, Events API edit-to-shard latency.

Starts two hub processes from target/castiel-integration-hub.jar: a "provider" that only serves the Slack sandbox
(C channels of M messages, every 5th with two replies) with its tier limits off, and the measured hub (sandbox off)
connected to it over HTTP with the bot token xoxb-sandbox, selecting every channel. It

 1. runs a full sync of messages and prints records per second, and how many Web API calls the sandbox counted per
    1,000 records synced (auth.test, conversations.history/replies, users.info);
 2. points the sandbox app's Event Subscriptions at the measured hub, edits messages one after the other through the
    sandbox's setup API, and prints how long each edit took to reach its note (p50, p95): from the edit's answer to the
    shard's updatedAt (message_changed -> receiver -> incremental sync of the channels -> shard).

  python3 bench/slack.py [--channels 10] [--messages 1000] [--heap 512m] [--edits 20] [--hub-arg=...]

The integration's and tenant's rate limits are lifted (the catalog's 60 calls/min would measure the pacing).

Standard library only. Build the jar first: mvn -B -DskipTests package
"""
import argparse, os, statistics, sys, tempfile, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from hubproc import JAR, bench_tenant, call, free_port, run_and_wait, start, stop, wait_up  # noqa: E402
from hubspot import iso, percentile  # noqa: E402

TOKEN = "xoxb-sandbox"
SIGNING_SECRET = "bench-slack-signing-secret-0123456789"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--channels", type=int, default=10)
    ap.add_argument("--messages", type=int, default=1000, help="top-level messages per channel")
    ap.add_argument("--heap", default="512m", help="-Xmx of the measured hub")
    ap.add_argument("--edits", type=int, default=20, help="message edits for the push latency")
    ap.add_argument("--hub-arg", action="append", default=[], help="extra argument for the measured hub")
    a = ap.parse_args()
    if not os.path.exists(JAR):
        sys.exit("build the jar first: mvn -B -DskipTests package")

    work = tempfile.mkdtemp(prefix="hub-slack-bench-")
    provider_port, hub_port = free_port(), free_port()
    provider, _ = start("provider", provider_port, [
        "--hub.sandbox.slack.channels=%d" % a.channels,
        "--hub.sandbox.slack.messages-per-channel=%d" % a.messages,
        "--hub.sandbox.slack.rate-limit=0", "--hub.sandbox.slack.users-rate-limit=0",
        "--hub.sandbox.slack.webhook-allowed-hosts=localhost:%d" % hub_port], "1g", work)
    hub, hub_log = start("hub", hub_port, ["--hub.sandbox.enabled=false", "--hub.outbound.allowed-hosts=localhost:%d" % provider_port]
                         + a.hub_arg, a.heap, work)
    try:
        wait_up(provider_port, provider, timeout=600)
        wait_up(hub_port, hub, timeout=600)
        base = "http://localhost:%d" % hub_port
        sandbox = "http://localhost:%d/sandbox/slack" % provider_port
        workspace = call("GET", sandbox + "/setup/workspace", TOKEN)
        channels = [c["id"] for c in workspace["channels"]]
        expected = sum(c["messages"] for c in workspace["channels"])
        key = bench_tenant(base)
        lifted = {"requests": 60000, "windowSeconds": 60}
        call("PUT", base + "/api/tenant/rate-limits", key, {"tenant": lifted})
        integration = call("POST", base + "/api/tenant/integrations", key,
                           {"providerId": "slack", "name": "bench", "sources": {"messages": channels}})["id"]
        call("PUT", base + "/api/tenant/integrations/%s/rate-limits" % integration, key, {"integration": lifted})
        calls_before = call("GET", sandbox + "/setup/workspace", TOKEN)["apiCalls"]
        connected = call("POST", base + "/api/tenant/integrations/%s/connect/api-key" % integration, key,
                         {"type": "bot_token", "credentials": {"accessToken": TOKEN, "apiUrl": sandbox + "/api/"}})
        if not connected["ok"]:
            sys.exit("connect failed: " + connected["message"])

        # 1. full sync
        t0 = time.time()
        e = run_and_wait(base, key, integration, "messages", poll=0.05)
        wall = time.time() - t0
        if e["status"] != "completed":
            sys.exit("sync ended %s: %s" % (e["status"], e.get("error")))
        calls = call("GET", sandbox + "/setup/workspace", TOKEN)["apiCalls"] - calls_before
        created = e["recordsCreated"]
        print("channels x messages    %d x %d (%d messages with replies)" % (a.channels, a.messages, expected))
        print("full sync              %6d records in %6.2f s (execution %d ms) = %7.0f records/s"
              % (created, wall, e["durationMs"], created / wall))
        print("API calls              %d for %d records = %.1f per 1,000 records (sandbox count, connection test included)"
              % (calls, created, calls * 1000.0 / max(1, created)))

        # 2. Events API edit to shard
        registration = call("POST", base + "/api/tenant/integrations/%s/webhooks" % integration, key,
                            {"scheme": "slack", "events": ["note.*"], "secret": SIGNING_SECRET})
        call("PUT", sandbox + "/setup/events", TOKEN, {"requestUrl": registration["url"], "signingSecret": SIGNING_SECRET})
        shard_of = {}
        cursor = None
        while True:
            page = call("GET", base + "/api/tenant/shards?type=c_note&limit=1000" + ("&cursor=" + cursor if cursor else ""), key)
            for s in page["items"]:
                shard_of[s["externalRelationships"][0]["externalId"]] = s["id"]
            cursor = page["nextCursor"]
            if not cursor:
                break
        messages = call("GET", sandbox + "/setup/messages?channel=" + channels[0], TOKEN)["messages"]
        latencies = []
        for i, message in enumerate(messages[:a.edits]):
            text = "Bench edit %d %d" % (i, time.time_ns())
            external = channels[0] + ":" + message["ts"]
            call("PATCH", sandbox + "/setup/messages", TOKEN, {"channel": channels[0], "ts": message["ts"], "text": text})
            edited = time.time()
            deadline = edited + 60
            while True:
                shard = call("GET", base + "/api/tenant/shards/" + shard_of[external], key)
                if shard["structuredData"].get("body") == text:
                    break
                if time.time() > deadline:
                    sys.exit("note %s did not follow the edit" % external)
                time.sleep(0.01)
            latencies.append((iso(shard["updatedAt"]) - edited) * 1000)
        if latencies:
            print("edit to shard          p50 %.0f ms, p95 %.0f ms, mean %.0f ms over %d message edits (message_changed -> "
                  "receiver -> incremental sync -> note)" % (percentile(latencies, 50), percentile(latencies, 95),
                                                             statistics.mean(latencies), len(latencies)))
    finally:
        stop([hub, provider], work, "/tmp/slack-bench-hub.log", hub_log)


if __name__ == "__main__":
    main()
