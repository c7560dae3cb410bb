#!/usr/bin/env python3
"""GitHub benchmark: full-sync throughput, API calls per 1,000 records, webhook edit-to-shard latency.

Starts two hub processes from target/castiel-integration-hub.jar: a "provider" that only serves the GitHub sandbox
(R repositories of I issues and pull requests each, C comments per issue), and the measured hub (sandbox off) connected
to it over HTTP with a personal access token, selecting every repository. It

 1. runs full syncs of issues and issue_comments and prints records per second, and how many API calls the sandbox
    counted per 1,000 records synced (pages of 100 and the connection's own calls; 304s are not counted, as at GitHub);
 2. has the hub register its repository hooks, retitles issues one after the other through the sandbox's REST API, and
    prints how long each edit took to reach its shard (p50, p95): from the edit's answer to the shard's updatedAt, and
    from the delivery's receipt (delivery log) to the shard.

  python3 bench/github.py [--repos 5] [--issues 2000] [--comments 2] [--heap 512m] [--edits 40] [--hub-arg=...]

The integration's and tenant's rate limits are lifted (GitHub's 5,000 calls an hour would measure the pacing); the
sandbox counts calls in a window far above what the benchmark makes.

Standard library only. Build the jar first: mvn -B -DskipTests package
"""
import argparse, os, sys, tempfile, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from hubproc import JAR, bench_tenant, call, free_port, run_and_wait, start, stop, wait_up  # noqa: E402
from hubspot import iso, percentile  # noqa: E402

TOKEN = "ghp_sandbox"
OWNER = "sandbox-org"
REPOS = ["customer-success", "integrations", "website", "mobile-app", "billing"]


def github(method, url, body=None):
    return call(method, url, TOKEN, body)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--repos", type=int, default=5, help="seeded repositories")
    ap.add_argument("--issues", type=int, default=2000, help="issues and pull requests per repository (at most 20,000)")
    ap.add_argument("--comments", type=int, default=2, help="comments per issue")
    ap.add_argument("--heap", default="512m", help="-Xmx of the measured hub")
    ap.add_argument("--edits", type=int, default=40, help="issue edits for the webhook latency")
    ap.add_argument("--hub-arg", action="append", default=[], help="extra argument for the measured hub")
    a = ap.parse_args()
    if not os.path.exists(JAR):
        sys.exit("build the jar first: mvn -B -DskipTests package")

    work = tempfile.mkdtemp(prefix="hub-github-bench-")
    provider_port, hub_port = free_port(), free_port()
    provider, _ = start("provider", provider_port, [
        "--hub.sandbox.github.repositories=%d" % a.repos,
        "--hub.sandbox.github.issues-per-repository=%d" % a.issues,
        "--hub.sandbox.github.comments-per-issue=%d" % a.comments,
        # counted, never refused
        "--hub.sandbox.github.rate-limit=100000000",
        # the sandbox sends hook deliveries to its own origin only, unless told: here the measured hub's
        "--hub.sandbox.github.webhook-allowed-hosts=localhost:%d" % hub_port], "1g", work)
    hub, hub_log = start("hub", hub_port, ["--hub.sandbox.enabled=false", "--hub.outbound.allowed-hosts=localhost:%d" % provider_port]
                         + a.hub_arg, a.heap, work)
    try:
        wait_up(provider_port, provider, timeout=600)
        wait_up(hub_port, hub, timeout=600)
        base = "http://localhost:%d" % hub_port
        sandbox = "http://localhost:%d/sandbox/github" % provider_port
        repos = ["%s/%s" % (OWNER, REPOS[r] if r < len(REPOS) else "project-%d" % (r + 1)) for r in range(a.repos)]
        key = bench_tenant(base)
        lifted = {"requests": 60000, "windowSeconds": 60}
        call("PUT", base + "/api/tenant/rate-limits", key, {"tenant": lifted})
        integration = call("POST", base + "/api/tenant/integrations", key, {"providerId": "github", "name": "bench"})["id"]
        call("PUT", base + "/api/tenant/integrations/%s/rate-limits" % integration, key, {"integration": lifted})
        calls_before = github("GET", sandbox + "/setup/limits")["used"]
        connected = call("POST", base + "/api/tenant/integrations/%s/connect/api-key" % integration, key,
                         {"type": "personal_access_token", "credentials": {"accessToken": TOKEN, "baseUrl": sandbox}})
        if not connected["ok"]:
            sys.exit("connect failed: " + connected["message"])
        call("PATCH", base + "/api/tenant/integrations/%s" % integration, key, {"sources": {"*": repos}})

        # 1. full syncs
        results = {}
        began = time.time()
        for entity in ("issues", "issue_comments"):
            t0 = time.time()
            e = run_and_wait(base, key, integration, entity, poll=0.05)
            if e["status"] != "completed":
                sys.exit("%s sync ended %s: %s" % (entity, e["status"], e.get("error")))
            results[entity] = (e["recordsCreated"], e["durationMs"], time.time() - t0)
        elapsed = time.time() - began
        calls = github("GET", sandbox + "/setup/limits")["used"] - calls_before
        total = sum(r[0] for r in results.values())
        print("seeded                 %d repositories x %d issues, %d comments each (records %d)"
              % (a.repos, a.issues, a.comments, a.repos * a.issues * (1 + a.comments)))
        for entity, (created, duration_ms, wall) in results.items():
            print("%-22s %6d records in %6.2f s (execution %d ms) = %7.0f records/s" % (entity, created, wall, duration_ms, created / wall))
        print("full sync              %6d records in %6.2f s = %7.0f records/s" % (total, elapsed, total / elapsed))
        print("API calls              %d for %d records = %.1f per 1,000 records (sandbox count: pages, connection test, "
              "repository checks)" % (calls, total, calls * 1000.0 / total))

        # incremental passes with nothing changed: pages answered 304 are free
        for n in (1, 2):
            before = github("GET", sandbox + "/setup/limits")["used"]
            t0 = time.time()
            for entity in ("issues", "issue_comments"):
                run_and_wait(base, key, integration, entity, mode="incremental", poll=0.05)
            print("quiet incremental #%d   %d counted calls for both entities, %.2f s (passes and the reconciliation of every page)"
                  % (n, github("GET", sandbox + "/setup/limits")["used"] - before, time.time() - t0))

        # 2. hook edit to shard
        registration = call("POST", base + "/api/tenant/integrations/%s/webhooks" % integration, key,
                            {"scheme": "github", "events": ["note.*"]})
        shard_of = {}
        cursor = None
        while True:
            page = call("GET", base + "/api/tenant/shards?type=c_note&limit=1000" + ("&cursor=" + cursor if cursor else ""), key)
            for s in page["items"]:
                shard_of[s["externalRelationships"][0]["externalId"]] = s["id"]
            cursor = page["nextCursor"]
            if not cursor:
                break
        edit_to_shard, receipt_to_shard = [], []
        for i in range(a.edits):
            repo = repos[i % len(repos)]
            number = 1 + (i // len(repos)) % max(1, a.issues)
            external = "%s#%d" % (repo, number)
            title = "Bench edit %d %d" % (i, time.time_ns())
            github("PATCH", sandbox + "/repos/%s/issues/%d" % (repo, number), {"title": title})
            edited = time.time()
            deadline = edited + 30
            while True:
                shard = call("GET", base + "/api/tenant/shards/" + shard_of[external], key)
                if shard["structuredData"].get("title") == title:
                    break
                if time.time() > deadline:
                    sys.exit("shard for %s did not follow the edit" % external)
                time.sleep(0.005)
            edit_to_shard.append((iso(shard["updatedAt"]) - edited) * 1000)
            found = [d for d in call("GET", base + "/api/webhooks/deliveries?limit=50&registrationId=" + registration["id"], key)["items"]
                     if any(e.get("externalId") == external for e in d.get("events") or [])]
            if found:
                receipt_to_shard.append((iso(shard["updatedAt"]) - iso(found[0]["receivedAt"])) * 1000)
        if edit_to_shard:
            print("edit to shard          p50 %.0f ms, p95 %.0f ms over %d issue edits (edit answered -> shard updatedAt)"
                  % (percentile(edit_to_shard, 50), percentile(edit_to_shard, 95), len(edit_to_shard)))
        if receipt_to_shard:
            print("receipt to shard       p50 %.0f ms, p95 %.0f ms (delivery receivedAt -> shard updatedAt)"
                  % (percentile(receipt_to_shard, 50), percentile(receipt_to_shard, 95)))
    finally:
        stop([hub, provider], work, "/tmp/github-bench-hub.log", hub_log)


if __name__ == "__main__":
    main()
