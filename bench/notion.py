#!/usr/bin/env python3
"""Notion benchmark: full-sync throughput, API calls per 1,000 records, webhook edit-to-shard latency.

Starts two hub processes from target/castiel-integration-hub.jar: a "provider" that only serves the Notion sandbox
(a workspace with N companies and M notes; each note has six blocks, one of them nested), and the measured hub
(sandbox off) connected to it over HTTP with the internal integration token secret_sandbox. It

 1. runs full syncs of companies (c_company) and notes (c_note, text read from the blocks) and prints records per
    second, and how many API calls the sandbox counted per 1,000 records synced (queries, block children, users,
    the connection test and the database look-ups);
 2. subscribes the measured hub to the workspace's webhooks (the verification token captured by the hub's receiver,
    then pasted back as an operator would), edits company pages one after the other, and prints how long each edit took
    to reach its shard (p50, p95).

  python3 bench/notion.py [--companies 2000] [--notes 500] [--edits 20] [--paced] [--hub-arg=...]

Without --paced the integration's limit and the sandbox's are lifted, so the figures are the hub's; with --paced both
stay at Notion's 180 calls per minute, and the sync takes as long as that allows (a note costs two or three calls). The
sandbox counts per workspace: the benchmark's own edits (part 2) share the window with the hub's calls.

Standard library only. Build the jar first: mvn -B -DskipTests package
"""
import argparse, json, os, statistics, sys, tempfile, time, urllib.request
from datetime import datetime

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from hubproc import JAR, bench_tenant, call, free_port, run_and_wait, start, stop, wait_up  # noqa: E402

TOKEN = "secret_sandbox"
VERSION = "2025-09-03"


def iso(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100.0 * (len(ordered) - 1))))]


def notion(method, url, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method=method, headers={"Authorization": "Bearer " + TOKEN,
                                                                         "Notion-Version": VERSION})
    if data is not None:
        req.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(req) as response:
        return json.load(response)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--companies", type=int, default=2000, help="seeded company pages (at most 20,000)")
    ap.add_argument("--notes", type=int, default=500, help="seeded note pages (at most 20,000)")
    ap.add_argument("--heap", default="512m", help="-Xmx of the measured hub")
    ap.add_argument("--edits", type=int, default=20, help="company edits for the webhook latency")
    ap.add_argument("--paced", action="store_true", help="keep Notion's 180 calls/min on both sides")
    ap.add_argument("--hub-arg", action="append", default=[], help="extra argument for the measured hub")
    a = ap.parse_args()
    if not os.path.exists(JAR):
        sys.exit("build the jar first: mvn -B -DskipTests package")

    work = tempfile.mkdtemp(prefix="hub-notion-bench-")
    provider_port, hub_port = free_port(), free_port()
    # the sandbox counts every call in one day-long window; unpaced, that window is far above what the run makes
    limit = ["--hub.sandbox.notion.rate-limit=180", "--hub.sandbox.notion.rate-window=60s"] if a.paced else \
        ["--hub.sandbox.notion.rate-limit=100000000", "--hub.sandbox.notion.rate-window=1d"]
    provider, _ = start("provider", provider_port, [
        "--hub.sandbox.notion.companies=%d" % a.companies, "--hub.sandbox.notion.notes=%d" % a.notes,
        "--hub.sandbox.notion.webhook-allowed-hosts=localhost:%d" % hub_port] + limit, "1g", work)
    hub, hub_log = start("hub", hub_port, ["--hub.sandbox.enabled=false", "--hub.outbound.allowed-hosts=localhost:%d" % provider_port]
                         + a.hub_arg, a.heap, work)
    try:
        wait_up(provider_port, provider, timeout=600)
        wait_up(hub_port, hub, timeout=600)
        base = "http://localhost:%d" % hub_port
        sandbox = "http://localhost:%d/sandbox/notion" % provider_port
        key = bench_tenant(base)
        workspace = call("GET", sandbox + "/setup/workspace", TOKEN)
        sources = {"companies": [workspace["companies"]["databaseId"]], "notes": [workspace["notes"]["databaseId"]]}
        integration = call("POST", base + "/api/tenant/integrations", key, {"providerId": "notion", "name": "bench",
                                                                             "sources": sources})["id"]
        if not a.paced:
            lifted = {"requests": 60000, "windowSeconds": 60}
            call("PUT", base + "/api/tenant/rate-limits", key, {"tenant": lifted})
            call("PUT", base + "/api/tenant/integrations/%s/rate-limits" % integration, key, {"integration": lifted})
        calls_before = call("GET", sandbox + "/setup/limits", TOKEN)["used"]
        connected = call("POST", base + "/api/tenant/integrations/%s/connect/api-key" % integration, key,
                         {"type": "internal_integration_token", "credentials": {"accessToken": TOKEN, "baseUrl": sandbox}})
        if not connected["ok"]:
            sys.exit("connect failed: " + connected["message"])

        # 1. full syncs
        results = {}
        began = time.time()
        for entity in ("companies", "notes"):
            t0 = time.time()
            e = run_and_wait(base, key, integration, entity, poll=0.05)
            if e["status"] != "completed":
                sys.exit("%s sync ended %s: %s" % (entity, e["status"], e.get("error")))
            results[entity] = (e["recordsCreated"], e["durationMs"], time.time() - t0)
        elapsed = time.time() - began
        limits = call("GET", sandbox + "/setup/limits", TOKEN)
        calls = limits["used"] - calls_before
        total = sum(r[0] for r in results.values())
        print("pages seeded           %d companies, %d notes (%s)" % (a.companies, a.notes,
                                                                      "paced at 180/min" if a.paced else "limits lifted"))
        for entity, (created, duration_ms, wall) in results.items():
            print("%-22s %6d records in %6.2f s (execution %d ms) = %7.0f records/s" % (entity, created, wall, duration_ms, created / wall))
        print("full sync              %6d records in %6.2f s = %7.0f records/s" % (total, elapsed, total / elapsed))
        if a.paced:
            # the sandbox's window is a minute long here: it holds the last minute's calls, not the run's
            print("API calls              (counted unpaced only; violations %d)" % limits["violations"])
        else:
            print("API calls              %d for %d records = %.1f per 1,000 records (sandbox count; violations %d)"
                  % (calls, total, calls * 1000.0 / total, limits["violations"]))

        # 2. webhook edit to shard
        registration = call("POST", base + "/api/tenant/integrations/%s/webhooks" % integration, key,
                            {"scheme": "notion", "events": ["company.*"]})
        subscription = call("PUT", sandbox + "/setup/webhooks", TOKEN, {"url": registration["url"]})
        deadline = time.time() + 30
        while not call("GET", sandbox + "/setup/webhooks", TOKEN)["verificationDelivered"]:
            if time.time() > deadline:
                sys.exit("the verification request did not reach the hub")
            time.sleep(0.05)
        call("POST", sandbox + "/setup/webhooks/verify", TOKEN, {"verification_token": subscription["verificationToken"]})
        shard_of = {}
        cursor = None
        while True:
            page = call("GET", base + "/api/tenant/shards?type=c_company&limit=1000" + ("&cursor=" + cursor if cursor else ""), key)
            for s in page["items"]:
                shard_of[s["externalRelationships"][0]["externalId"]] = s["id"]
            cursor = page["nextCursor"]
            if not cursor:
                break
        pages = notion("POST", sandbox + "/v1/data_sources/%s/query" % workspace["companies"]["dataSourceId"],
                       {"page_size": min(100, a.edits)})["results"]
        edit_to_shard, receipt_to_shard = [], []
        for i, page in enumerate(pages[:a.edits]):
            name = "Bench edit %d %d" % (i, time.time_ns())
            notion("PATCH", sandbox + "/v1/pages/" + page["id"], {"properties": {"Name": {"title": [{"text": {"content": name}}]}}})
            edited = time.time()
            deadline = edited + 60
            while True:
                shard = call("GET", base + "/api/tenant/shards/" + shard_of[page["id"]], key)
                if shard["structuredData"].get("name") == name:
                    break
                if time.time() > deadline:
                    sys.exit("shard for %s did not follow the edit" % page["id"])
                time.sleep(0.005)
            edit_to_shard.append((iso(shard["updatedAt"]) - edited) * 1000)
            found = [d for d in call("GET", base + "/api/webhooks/deliveries?limit=50&registrationId=" + registration["id"], key)["items"]
                     if any(e.get("externalId") == page["id"] for e in d.get("events") or [])]
            if found:
                receipt_to_shard.append((iso(shard["updatedAt"]) - iso(found[0]["receivedAt"])) * 1000)
        if edit_to_shard:
            print("edit to shard          p50 %.0f ms, p95 %.0f ms over %d company edits (edit answered -> shard updatedAt)"
                  % (percentile(edit_to_shard, 50), percentile(edit_to_shard, 95), len(edit_to_shard)))
        if receipt_to_shard:
            print("receipt to shard       p50 %.0f ms, p95 %.0f ms (delivery receivedAt -> shard updatedAt)"
                  % (percentile(receipt_to_shard, 50), percentile(receipt_to_shard, 95)))
    finally:
        stop([hub, provider], work, "/tmp/notion-bench-hub.log", hub_log)


if __name__ == "__main__":
    main()
