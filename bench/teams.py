#!/usr/bin/env python3
"""Microsoft Teams benchmark: full-sync throughput, Graph calls per 1,000 records, notification-to-shard latency.

Starts one hub process from target/castiel-integration-hub.jar with its sandboxes on and the sandbox TLS port open (the
Graph sandbox at /v1.0 and Entra's at /sandbox/entra on it, over https as Microsoft's clients require; Graph sends its
change notifications to the hub's receiver on the same port), so the Graph sandbox runs in the measured JVM. It

 1. adds a team of C channels with M root messages each (every other one with a reply), connects a Microsoft Teams
    integration to it with app-only credentials (sandbox-client / sandbox-secret), runs a full sync of messages and
    prints records per second and how many Graph calls the sandbox counted per 1,000 records (teams and channels
    listed, each channel's messages delta; the connection test included, token requests not);
 2. in a second tenant with a small team (one channel), registers the hub's receiver (one Graph subscription, validated
    by the handshake), posts messages one after the other and prints how long each took to reach its shard (p50, p95):
    from the moment the sandbox answered the post to the shard's createdAt, and from the notification's receipt to it.

  python3 bench/teams.py [--channels 10] [--messages 200] [--pushes 20] [--hub-arg=...]

The integration's and tenant's rate limits are lifted (the catalog's 20 calls/s would measure the pacing); the sandbox
counts calls in a one-hour window with a limit far above what the benchmark makes.

Standard library only. Build the jar first: mvn -B -DskipTests package
"""
import argparse, json, os, ssl, sys, tempfile, time, urllib.parse, urllib.request, uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from hubproc import ADMIN, JAR, all_shards, bench_tenant, call, free_port, iso, percentile, run_and_wait, start, stop, wait_up  # noqa: E402


class Graph:
    """The Graph and Entra sandboxes over the TLS port, trusting the hub's sandbox certificate."""

    def __init__(self, origin, pem):
        self.origin = origin
        self.tls = ssl.create_default_context(cafile=pem)
        self.token = None

    def request(self, method, url, body=None, headers=None, form=False):
        data = None
        headers = dict(headers or {})
        if body is not None:
            data = urllib.parse.urlencode(body).encode() if form else json.dumps(body).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded" if form else "application/json"
        req = urllib.request.Request(url if url.startswith("https") else self.origin + url, data=data, method=method, headers=headers)
        with urllib.request.urlopen(req, timeout=120, context=self.tls) as response:
            text = response.read().decode()
            return json.loads(text) if text else None

    def setup(self, method, path, body=None):
        if self.token is None:
            self.token = self.request("POST", "/sandbox/entra/sandbox-tenant/oauth2/v2.0/token", {
                "grant_type": "client_credentials", "client_id": "sandbox-client", "client_secret": "sandbox-secret",
                "scope": "https://graph.microsoft.com/.default"}, form=True)["access_token"]
        return self.request(method, "/sandbox/graph/setup" + path, body, {"Authorization": "Bearer " + self.token})

    def credentials(self):
        return {"authority": self.origin + "/sandbox/entra/sandbox-tenant", "clientId": "sandbox-client",
                "clientSecret": "sandbox-secret", "graphUrl": self.origin + "/v1.0"}


def teams_integration(base, key, graph, team_id, name):
    integration = call("POST", base + "/api/tenant/integrations", key, {"providerId": "microsoft_teams", "name": name,
                                                                        "sources": {"messages": [team_id]}})["id"]
    lifted = {"requests": 60000, "windowSeconds": 60}
    call("PUT", base + "/api/tenant/rate-limits", key, {"tenant": lifted})
    call("PUT", base + "/api/tenant/integrations/%s/rate-limits" % integration, key, {"integration": lifted})
    connected = call("POST", base + "/api/tenant/integrations/%s/connect/api-key" % integration, key,
                     {"type": "oauth2_entra_client_credentials", "credentials": graph.credentials()})
    if not connected["ok"]:
        sys.exit("connect failed: " + connected["message"])
    return integration


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--channels", type=int, default=10, help="channels of the synced team (at most 20)")
    ap.add_argument("--messages", type=int, default=200, help="root messages a channel (at most 500); every other one has a reply")
    ap.add_argument("--heap", default="1g", help="-Xmx of the hub")
    ap.add_argument("--pushes", type=int, default=20, help="messages posted for the push latency")
    ap.add_argument("--hub-arg", action="append", default=[], help="extra argument for the hub")
    a = ap.parse_args()
    if not os.path.exists(JAR):
        sys.exit("build the jar first: mvn -B -DskipTests package")

    work = tempfile.mkdtemp(prefix="hub-teams-bench-")
    hub_port, tls_port = free_port(), free_port()
    hub, hub_log = start("hub", hub_port, ["--hub.sandbox.tls-port=%d" % tls_port, "--hub.sandbox.graph.rate-limit=1000000",
                                           "--hub.sandbox.graph.rate-window=3600s"] + a.hub_arg, a.heap, work)
    try:
        wait_up(hub_port, hub, timeout=600)
        base = "http://localhost:%d" % hub_port
        graph = Graph("https://localhost:%d" % tls_port, os.path.join(work, "hub", "sandbox-tls", "sandbox-tls.pem"))
        key = bench_tenant(base)

        # 1. full sync
        team = graph.setup("POST", "/teams", {"displayName": "Bench " + uuid.uuid4().hex[:8], "channels": a.channels,
                                              "messages": a.messages})
        before = graph.setup("GET", "/limits")["used"]
        integration = teams_integration(base, key, graph, team["id"], "bench")
        t0 = time.time()
        e = run_and_wait(base, key, integration, "messages", poll=0.05)
        wall = time.time() - t0
        if e["status"] != "completed":
            sys.exit("sync ended %s: %s" % (e["status"], e.get("error")))
        after = graph.setup("GET", "/limits")
        calls = after["used"] - before
        records = e["recordsProcessed"]
        print("messages seeded        %d channels x %d root messages (+ a reply to every other one), limits lifted"
              % (a.channels, a.messages))
        print("full sync              %6d records in %6.2f s (execution %d ms) = %7.0f records/s"
              % (records, wall, e["durationMs"], records / wall))
        print("Graph calls            %d for %d records = %.1f per 1,000 (sandbox count, connection test included; 429s %d)"
              % (calls, records, calls * 1000.0 / max(1, records), after["violations"]))

        # 2. notification to shard, in a tenant of its own with a small team
        call("POST", base + "/api/admin/tenants", ADMIN, {"id": "bench-push", "name": "Bench push"})
        push_key = call("POST", base + "/api/admin/tenants/bench-push/api-keys", ADMIN, {})["key"]
        small = graph.setup("POST", "/teams", {"displayName": "Bench push " + uuid.uuid4().hex[:8], "channels": 1, "messages": 2})
        channel = small["channels"][0]["id"]
        pushed = teams_integration(base, push_key, graph, small["id"], "bench push")
        first = run_and_wait(base, push_key, pushed, "messages", poll=0.05)
        if first["status"] != "completed":
            sys.exit("push integration's first sync ended %s" % first["status"])
        registration = call("POST", base + "/api/tenant/integrations/%s/webhooks" % pushed, push_key,
                            {"scheme": "microsoft_graph", "events": ["note.*"]})
        if registration.get("providerRegistration") != "registered":
            sys.exit("subscription not made: %s" % registration.get("providerRegistration"))
        push_to_shard, receipt_to_shard = [], []
        for i in range(a.pushes):
            made = graph.setup("POST", "/teams/%s/channels/%s/messages" % (small["id"], channel), {"content": "Bench push %d" % i})
            answered = time.time()
            external = "%s/%s/%s" % (small["id"], channel, made["id"])
            deadline = answered + 60
            shard = None
            while shard is None:
                found = [s for s in all_shards(base, push_key, "c_note") if s["externalRelationships"][0]["externalId"] == external]
                if found:
                    shard = found[0]
                elif time.time() > deadline:
                    sys.exit("no shard for message %s" % external)
                else:
                    time.sleep(0.01)
            push_to_shard.append((iso(shard["createdAt"]) - answered) * 1000)
            delivered = [d for d in call("GET", base + "/api/webhooks/deliveries?limit=50&registrationId=" + registration["id"],
                                         push_key)["items"]
                         if any(ev.get("externalId") == made["id"] for ev in d.get("events") or [])]
            if delivered:
                receipt_to_shard.append((iso(shard["createdAt"]) - iso(delivered[0]["receivedAt"])) * 1000)
        print("push to shard          p50 %.0f ms, p95 %.0f ms over %d messages (posted -> shard createdAt)"
              % (percentile(push_to_shard, 50), percentile(push_to_shard, 95), len(push_to_shard)))
        if receipt_to_shard:
            print("receipt to shard       p50 %.0f ms, p95 %.0f ms (notification receivedAt -> shard createdAt)"
                  % (percentile(receipt_to_shard, 50), percentile(receipt_to_shard, 95)))
    finally:
        stop([hub], work, "/tmp/teams-bench-hub.log", hub_log)


if __name__ == "__main__":
    main()
