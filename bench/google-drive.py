#!/usr/bin/env python3
"""Google Drive benchmark: full-sync throughput, API calls per 1,000 records, push (changes.watch) change-to-shard latency.

Starts two hub processes from target/castiel-integration-hub.jar: a "provider" that only serves the Google sandbox (a
domain of N files: account plans (Google Docs, exported as text), contracts (PDFs) and pipelines (Sheets) in two folders
and a shared drive), and the measured hub (sandbox off) connected to it over HTTP with the sandbox's service account
acting as a domain user. It

 1. runs a full sync of the files of both folders and the shared drive, and prints records per second and how many
    Drive calls the sandbox counted per 1,000 records (start token, source checks, files.list pages, one export per
    Google Doc);
 2. registers a changes.watch channel (the hub's receiver), edits Docs one after the other in the sandbox, and prints
    how long each edit took to reach its shard (edit answered -> shard updatedAt), p50 and p95.

  python3 bench/google-drive.py [--files 1000] [--files-per-page 3] [--heap 512m] [--edits 30] [--hub-arg=...]

The integration's and tenant's rate limits are lifted (the catalog's 240 calls/min would measure the pacing);
--files-per-page is hub.providers.google_drive.files-per-page of the measured hub (3 by default, the page size that
keeps within the gate's burst at the default limit).

Standard library only. Build the jar first: mvn -B -DskipTests package
"""
import argparse, json, os, statistics, sys, tempfile, time, urllib.request
from datetime import datetime

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from hubproc import JAR, bench_tenant, call, free_port, run_and_wait, start, stop, wait_up  # noqa: E402

DOMAIN = "bench"


def iso(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100.0 * (len(ordered) - 1))))]


def setup(sandbox, method, path, body=None):
    return call(method, "%s/setup/%s%sdomain=%s" % (sandbox, path, "&" if "?" in path else "?", DOMAIN), None, body)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--files", type=int, default=1000, help="seeded files in the domain")
    ap.add_argument("--files-per-page", type=int, default=3, help="hub.providers.google_drive.files-per-page of the measured hub")
    ap.add_argument("--heap", default="512m", help="-Xmx of the measured hub")
    ap.add_argument("--edits", type=int, default=30, help="Doc edits for the push latency")
    ap.add_argument("--hub-arg", action="append", default=[], help="extra argument for the measured hub")
    a = ap.parse_args()
    if not os.path.exists(JAR):
        sys.exit("build the jar first: mvn -B -DskipTests package")

    work = tempfile.mkdtemp(prefix="hub-google-bench-")
    provider_port, hub_port = free_port(), free_port()
    provider, _ = start("provider", provider_port, [
        "--hub.sandbox.google.files=%d" % a.files,
        # the sandbox notifies its own origin only, unless told: here the measured hub's
        "--hub.sandbox.google.webhook-allowed-hosts=localhost:%d" % hub_port], "1g", work)
    hub, hub_log = start("hub", hub_port, ["--hub.sandbox.enabled=false", "--hub.outbound.allowed-hosts=localhost:%d" % provider_port,
                                           "--hub.providers.google_drive.files-per-page=%d" % a.files_per_page] + a.hub_arg, a.heap, work)
    try:
        wait_up(provider_port, provider, timeout=600)
        wait_up(hub_port, hub, timeout=600)
        base = "http://localhost:%d" % hub_port
        sandbox = "http://localhost:%d/sandbox/google" % provider_port
        key = bench_tenant(base)
        lifted = {"requests": 60000, "windowSeconds": 60}
        call("PUT", base + "/api/tenant/rate-limits", key, {"tenant": lifted})
        containers = setup(sandbox, "GET", "containers")
        # the sandbox counts every Drive call of the day in its window; the limit itself stays out of the way
        setup(sandbox, "PUT", "limits", {"rateLimit": 100000000, "windowSeconds": 86400})
        with urllib.request.urlopen(sandbox + "/setup/service-account.json") as r:
            service_account = r.read().decode()
        integration = call("POST", base + "/api/tenant/integrations", key, {"providerId": "google_drive", "name": "bench"})["id"]
        call("PUT", base + "/api/tenant/integrations/%s/rate-limits" % integration, key, {"integration": lifted})
        connected = call("POST", base + "/api/tenant/integrations/%s/connect/api-key" % integration, key,
                         {"type": "service_account", "credentials": {"serviceAccountJson": service_account,
                                                                     "subject": containers["users"][0]}})
        if not connected["ok"]:
            sys.exit("connect failed: " + connected["message"])
        sources = list(containers["folders"].values()) + list(containers["drives"].values())
        call("PATCH", base + "/api/tenant/integrations/" + integration, key, {"sources": {"files": sources}})
        calls_before = setup(sandbox, "GET", "limits")["used"]

        # 1. full sync
        t0 = time.time()
        e = run_and_wait(base, key, integration, "files", poll=0.05)
        wall = time.time() - t0
        if e["status"] != "completed":
            sys.exit("files sync ended %s: %s" % (e["status"], e.get("error")))
        calls = setup(sandbox, "GET", "limits")["used"] - calls_before
        created = e["recordsCreated"]
        print("files seeded           %d (in the two folders and the shared drive, folders not counted)" % a.files)
        print("files-per-page         %d" % a.files_per_page)
        print("full sync              %6d records in %6.2f s (execution %d ms) = %7.1f records/s"
              % (created, wall, e["durationMs"], created / wall))
        print("API calls              %d for %d records = %.1f per 1,000 records (sandbox count: start token, source checks, "
              "files.list pages, Doc exports)" % (calls, created, calls * 1000.0 / max(1, created)))

        # 2. push: a changes.watch channel to the hub's receiver, Doc edits, change to shard
        registration = call("POST", base + "/api/tenant/integrations/%s/webhooks" % integration, key,
                            {"scheme": "google_drive", "events": ["document.*"]})
        if registration.get("providerRegistration") != "registered":
            sys.exit("channel not registered: %s" % registration.get("providerRegistration"))
        shard_of = {}
        cursor = None
        while True:
            page = call("GET", base + "/api/tenant/shards?type=c_document&limit=1000" + ("&cursor=" + cursor if cursor else ""), key)
            for s in page["items"]:
                shard_of[s["externalRelationships"][0]["externalId"]] = s["id"]
            cursor = page["nextCursor"]
            if not cursor:
                break
        docs = [f["id"] for f in setup(sandbox, "GET", "files")["files"]
                if f["mimeType"].endswith(".document") and f["id"] in shard_of][:a.edits]
        change_to_shard = []
        for i, doc in enumerate(docs):
            text = "Bench edit %d %d" % (i, time.time_ns())
            setup(sandbox, "PATCH", "files/" + doc, {"text": text})
            edited = time.time()
            deadline = edited + 30
            while True:
                shard = call("GET", base + "/api/tenant/shards/" + shard_of[doc], key)
                if shard["structuredData"].get("text") == text:
                    break
                if time.time() > deadline:
                    sys.exit("shard for %s did not follow the edit" % doc)
                time.sleep(0.005)
            change_to_shard.append((iso(shard["updatedAt"]) - edited) * 1000)
        if change_to_shard:
            print("push change to shard   p50 %.0f ms, p95 %.0f ms, mean %.0f ms over %d Doc edits (edit answered -> shard updatedAt: "
                  "notification, incremental sync of the changes, export)" % (percentile(change_to_shard, 50),
                                                                             percentile(change_to_shard, 95),
                                                                             statistics.mean(change_to_shard), len(change_to_shard)))
    finally:
        stop([hub, provider], work, "/tmp/google-drive-bench-hub.log", hub_log)


if __name__ == "__main__":
    main()
