#!/usr/bin/env python3
"""Gong benchmark: full-sync throughput, API calls per 1,000 records, and push (automation-rule webhook) to note latency.

Starts two hub processes from target/castiel-integration-hub.jar: a "provider" that only serves the Gong sandbox (a
company with N calls, each with its parties and transcript), and the measured hub (sandbox off) connected to it over
HTTP with the access key sandbox-key. It runs a full sync of calls (c_note, with each call's external parties as
derived c_contact shards) and prints records per second and how many API calls the sandbox counted per 1,000 calls
synced (extensive pages, transcripts, the connection test). Then it registers the company's automation rule with the
hub (scheme gong, the rule's public key as the secret), adds calls in Gong one after the other and prints how long each
took to reach its note (p50, p95): the signed delivery, its verification, and the incremental sync it starts.

  python3 bench/gong.py [--calls 2000] [--pushes 10] [--paced] [--hub-arg=...]

Without --paced the integration's limit and the sandbox's per-second limit are lifted, so the figures are the hub's;
with --paced both stay at Gong's 3 calls a second (the hub's gate sustains about one request a second, two per page of
100 calls).

Standard library only. Build the jar first: mvn -B -DskipTests package
"""
import argparse, base64, json, os, sys, tempfile, time, urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from hubproc import ADMIN, JAR, bench_tenant, call, free_port, run_and_wait, start, stop, wait_up  # noqa: E402

KEY, SECRET = "sandbox-key", "sandbox-secret"
BASIC = "Basic " + base64.b64encode((KEY + ":" + SECRET).encode()).decode()


def gong(method, url, body=None, authorization=BASIC):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method=method, headers={"Authorization": authorization})
    if data is not None:
        req.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(req) as response:
        return json.load(response)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--calls", type=int, default=2000, help="seeded calls (at most 50,000)")
    ap.add_argument("--heap", default="512m", help="-Xmx of the measured hub")
    ap.add_argument("--pushes", type=int, default=10, help="calls added in Gong for the push latency")
    ap.add_argument("--paced", action="store_true", help="keep Gong's 3 calls a second on both sides")
    ap.add_argument("--hub-arg", action="append", default=[], help="extra argument for the measured hub")
    a = ap.parse_args()
    if not os.path.exists(JAR):
        sys.exit("build the jar first: mvn -B -DskipTests package")

    work = tempfile.mkdtemp(prefix="hub-gong-bench-")
    provider_port, hub_port = free_port(), free_port()
    # the day window counts every call of the run (its limit far above what the run makes)
    limits = ["--hub.sandbox.gong.daily-limit=100000000"] + ([] if a.paced else ["--hub.sandbox.gong.rate-limit=0"])
    provider, _ = start("provider", provider_port, ["--hub.sandbox.gong.calls=%d" % a.calls,
                                                    "--hub.sandbox.gong.webhook-allowed-hosts=localhost:%d" % hub_port] + limits, "1g", work)
    hub, hub_log = start("hub", hub_port, ["--hub.sandbox.enabled=false", "--hub.outbound.allowed-hosts=localhost:%d" % provider_port] + a.hub_arg, a.heap, work)
    try:
        wait_up(provider_port, provider, timeout=600)
        wait_up(hub_port, hub, timeout=600)
        base = "http://localhost:%d" % hub_port
        sandbox = "http://localhost:%d/sandbox/gong" % provider_port
        key = bench_tenant(base)
        integration = call("POST", base + "/api/tenant/integrations", key, {"providerId": "gong", "name": "bench"})["id"]
        if not a.paced:
            lifted = {"requests": 60000, "windowSeconds": 60}
            call("PUT", base + "/api/tenant/rate-limits", key, {"tenant": lifted})
            call("PUT", base + "/api/tenant/integrations/%s/rate-limits" % integration, key, {"integration": lifted})
        before = gong("GET", sandbox + "/setup/limits")["day"]["used"]
        connected = call("POST", base + "/api/tenant/integrations/%s/connect/api-key" % integration, key,
                         {"type": "access_key", "credentials": {"accessKey": KEY, "accessKeySecret": SECRET, "baseUrl": sandbox}})
        if not connected["ok"]:
            sys.exit("connect failed: " + connected["message"])
        t0 = time.time()
        e = run_and_wait(base, key, integration, "calls", poll=0.05)
        wall = time.time() - t0
        if e["status"] != "completed":
            sys.exit("sync ended %s: %s" % (e["status"], e.get("error")))
        after = gong("GET", sandbox + "/setup/limits")
        calls = after["day"]["used"] - before
        created = e["recordsCreated"]
        print("calls seeded           %d (%s)" % (a.calls, "paced at 3/s" if a.paced else "per-second limit lifted"))
        print("full sync              %6d records in %6.2f s (execution %d ms) = %7.1f records/s"
              % (created, wall, e["durationMs"], created / wall))
        print("API calls              %d for %d records = %.1f per 1,000 records (sandbox count; violations %d per second, %d per day)"
              % (calls, created, calls * 1000.0 / max(1, created), after["second"]["violations"], after["day"]["violations"]))

        # 2. push: the automation rule's signed delivery -> verified -> incremental sync -> note. A company and tenant of
        # their own (no calls yet), so a note is found without paging through the full sync's.
        call("POST", base + "/api/admin/tenants", ADMIN, {"id": "bench-push", "name": "Bench push"})
        push_key = call("POST", base + "/api/admin/tenants/bench-push/api-keys", ADMIN, {})["key"]
        company = sandbox + "/setup"
        push_basic = "Basic " + base64.b64encode(("sandbox-key-push:" + SECRET).encode()).decode()
        gong("POST", company + "/reset", {"calls": 0}, push_basic)
        pushed = call("POST", base + "/api/tenant/integrations", push_key, {"providerId": "gong", "name": "bench push"})["id"]
        call("PUT", base + "/api/tenant/integrations/%s/rate-limits" % pushed, push_key,
             {"integration": {"requests": 6000, "windowSeconds": 60}})
        call("POST", base + "/api/tenant/integrations/%s/connect/api-key" % pushed, push_key,
             {"type": "access_key", "credentials": {"accessKey": "sandbox-key-push", "accessKeySecret": SECRET, "baseUrl": sandbox}})
        public_key = gong("PUT", company + "/webhooks", {"url": base + "/webhooks/not-yet"}, push_basic)["publicKey"]
        registration = call("POST", base + "/api/tenant/integrations/%s/webhooks" % pushed, push_key,
                            {"scheme": "gong", "events": ["note.*"], "secret": public_key})
        gong("PUT", company + "/webhooks", {"url": registration["url"]}, push_basic)
        latencies = []
        for i in range(a.pushes):
            title = "Bench push %d %d" % (i, time.time_ns())
            added = time.time()
            call_id = gong("POST", company + "/calls", {"title": title}, push_basic)["id"]
            deadline = added + 60
            while True:
                notes = call("GET", base + "/api/tenant/shards?type=c_note&limit=1000", push_key)["items"]
                if any(n["structuredData"].get("title") == title for n in notes):
                    break
                if time.time() > deadline:
                    sys.exit("call %s did not reach its note" % call_id)
                time.sleep(0.01)
            latencies.append((time.time() - added) * 1000)
        if latencies:
            ordered = sorted(latencies)
            pick = lambda p: ordered[min(len(ordered) - 1, int(round(p / 100.0 * (len(ordered) - 1))))]
            print("push -> shard          p50 %.0f ms, p95 %.0f ms over %d calls (call added -> note readable)"
                  % (pick(50), pick(95), len(latencies)))
    finally:
        stop([hub, provider], work, "/tmp/gong-bench-hub.log", hub_log)


if __name__ == "__main__":
    main()
