#!/usr/bin/env python3
"""Zoom benchmark: full-sync throughput, API calls per 1,000 records, recording.completed-to-shard latency.

Starts two hub processes from target/castiel-integration-hub.jar: a "provider" that only serves the Zoom sandbox (the
default account, sandbox-account, with N cloud recordings over the last D days, four in five with a WebVTT transcript),
and the measured hub (sandbox off) connected to it over HTTP with Server-to-Server OAuth (sandbox-client /
sandbox-secret). It

 1. runs a full sync of recordings (c_document, each transcript downloaded and read into a derived c_note) and prints
    records per second and how many API calls the sandbox counted per 1,000 recordings (list users, list recordings by
    monthly window, the connection test; transcript downloads are counted apart);
 2. registers the hub's receiver as the account's event endpoint (Zoom's endpoint.url_validation answered by the hub),
    records new meetings one after the other, and prints how long each recording.completed took to reach its shard
    (p50, p95): from the moment the sandbox answered the "meeting recorded" call to the shard's createdAt, and from the
    delivery's receipt to it.

  python3 bench/zoom.py [--meetings 2000] [--days 25] [--pushes 20] [--paced] [--hub-arg=...]

Without --paced the integration's limit and the sandbox's are lifted, so the figures are the hub's; with --paced both
stay at Zoom Pro's 20 Medium and 30 Light calls a second.

Standard library only. Build the jar first: mvn -B -DskipTests package
"""
import argparse, base64, json, os, sys, tempfile, time, urllib.request
from datetime import datetime

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from hubproc import JAR, all_shards, bench_tenant, call, free_port, run_and_wait, start, stop, wait_up  # noqa: E402

ACCOUNT = "sandbox-account"
CLIENT = "Basic " + base64.b64encode(b"sandbox-client:sandbox-secret").decode()
SECRET = "sandbox-webhook-secret"


def iso(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100.0 * (len(ordered) - 1))))]


def setup(method, sandbox, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(sandbox + "/setup/accounts/" + ACCOUNT + path, data=data, method=method,
                                 headers={"Authorization": CLIENT})
    if data is not None:
        req.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(req, timeout=60) as response:
        return json.load(response)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--meetings", type=int, default=2000, help="seeded cloud recordings (at most 20,000)")
    ap.add_argument("--days", type=int, default=25, help="days the recordings are spread over")
    ap.add_argument("--heap", default="512m", help="-Xmx of the measured hub")
    ap.add_argument("--pushes", type=int, default=20, help="recordings made for the push latency")
    ap.add_argument("--paced", action="store_true", help="keep Zoom Pro's per-second limits on both sides")
    ap.add_argument("--hub-arg", action="append", default=[], help="extra argument for the measured hub")
    a = ap.parse_args()
    if not os.path.exists(JAR):
        sys.exit("build the jar first: mvn -B -DskipTests package")

    work = tempfile.mkdtemp(prefix="hub-zoom-bench-")
    provider_port, hub_port = free_port(), free_port()
    limit = [] if a.paced else ["--hub.sandbox.zoom.light-rate-limit=0", "--hub.sandbox.zoom.medium-rate-limit=0"]
    provider, _ = start("provider", provider_port, [
        "--hub.sandbox.zoom.meetings=%d" % a.meetings, "--hub.sandbox.zoom.days=%d" % a.days,
        "--hub.sandbox.zoom.webhook-allowed-hosts=localhost:%d" % hub_port] + limit, "1g", work)
    hub, hub_log = start("hub", hub_port, ["--hub.sandbox.enabled=false", "--hub.outbound.allowed-hosts=localhost:%d" % provider_port]
                         + a.hub_arg, a.heap, work)
    try:
        wait_up(provider_port, provider, timeout=600)
        wait_up(hub_port, hub, timeout=600)
        base = "http://localhost:%d" % hub_port
        sandbox = "http://localhost:%d/sandbox/zoom" % provider_port
        key = bench_tenant(base)
        integration = call("POST", base + "/api/tenant/integrations", key, {"providerId": "zoom", "name": "bench"})["id"]
        if not a.paced:
            lifted = {"requests": 60000, "windowSeconds": 60}
            call("PUT", base + "/api/tenant/rate-limits", key, {"tenant": lifted})
            call("PUT", base + "/api/tenant/integrations/%s/rate-limits" % integration, key, {"integration": lifted})
        before = setup("GET", sandbox, "/limits")
        connected = call("POST", base + "/api/tenant/integrations/%s/connect/api-key" % integration, key,
                         {"type": "server_to_server_oauth", "credentials": {"accountId": ACCOUNT, "clientId": "sandbox-client",
                                                                           "clientSecret": "sandbox-secret", "baseUrl": sandbox}})
        if not connected["ok"]:
            sys.exit("connect failed: " + connected["message"])

        # 1. full sync
        t0 = time.time()
        e = run_and_wait(base, key, integration, "recordings", poll=0.05)
        wall = time.time() - t0
        if e["status"] != "completed":
            sys.exit("sync ended %s: %s" % (e["status"], e.get("error")))
        after = setup("GET", sandbox, "/limits")
        calls = after["apiCalls"] - before["apiCalls"]
        downloads = after["downloads"] - before["downloads"]
        records = e["recordsProcessed"]
        notes = len(all_shards(base, key, "c_note"))
        print("recordings seeded      %d over %d days (%s)" % (a.meetings, a.days, "paced at Zoom Pro's limits" if a.paced else "limits lifted"))
        print("full sync              %6d recordings (+%d transcript notes) in %6.2f s (execution %d ms) = %7.0f records/s"
              % (records, notes, wall, e["durationMs"], records / wall))
        print("API calls              %d for %d recordings = %.1f per 1,000 (sandbox count; violations %d); transcript downloads %d"
              % (calls, records, calls * 1000.0 / max(1, records), after["violations"], downloads))

        # 2. recording.completed to shard
        registration = call("POST", base + "/api/tenant/integrations/%s/webhooks" % integration, key,
                            {"scheme": "zoom", "events": ["document.*"], "secret": SECRET})
        setup("PUT", sandbox, "/webhooks", {"url": registration["url"]})
        deadline = time.time() + 30
        while not setup("GET", sandbox, "/webhooks")["validated"]:
            if time.time() > deadline:
                sys.exit("the endpoint validation did not pass")
            time.sleep(0.05)
        push_to_shard, receipt_to_shard = [], []
        for i in range(a.pushes):
            made = setup("POST", sandbox, "/recordings", {"topic": "Bench call %d" % i})
            answered = time.time()
            deadline = answered + 60
            shard = None
            while shard is None:
                found = [s for s in all_shards(base, key, "c_document") if s["externalRelationships"][0]["externalId"] == made["uuid"]]
                if found:
                    shard = found[0]
                elif time.time() > deadline:
                    sys.exit("no shard for recording %s" % made["uuid"])
                else:
                    time.sleep(0.01)
            push_to_shard.append((iso(shard["createdAt"]) - answered) * 1000)
            delivered = [d for d in call("GET", base + "/api/webhooks/deliveries?limit=50&registrationId=" + registration["id"], key)["items"]
                         if any(ev.get("externalId") == made["uuid"] for ev in d.get("events") or [])]
            if delivered:
                receipt_to_shard.append((iso(shard["createdAt"]) - iso(delivered[0]["receivedAt"])) * 1000)
        if push_to_shard:
            print("push to shard          p50 %.0f ms, p95 %.0f ms over %d recordings (recorded -> shard createdAt)"
                  % (percentile(push_to_shard, 50), percentile(push_to_shard, 95), len(push_to_shard)))
        if receipt_to_shard:
            print("receipt to shard       p50 %.0f ms, p95 %.0f ms (delivery receivedAt -> shard createdAt)"
                  % (percentile(receipt_to_shard, 50), percentile(receipt_to_shard, 95)))
    finally:
        stop([hub, provider], work, "/tmp/zoom-bench-hub.log", hub_log)


if __name__ == "__main__":
    main()
