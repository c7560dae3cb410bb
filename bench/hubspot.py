#!/usr/bin/env python3
"""HubSpot benchmark: full-sync throughput, API calls per 1,000 records, webhook edit-to-shard latency.

Starts two hub processes from target/castiel-integration-hub.jar: a "provider" that only serves the HubSpot sandbox
(N companies, each with two contacts and a deal: 4N records), and the measured hub (sandbox off) connected to it over
HTTP with a private-app token. It

 1. runs full syncs of companies, contacts and deals and prints records per second, and how many API calls the
    sandbox counted per 1,000 records synced (searches, association batch reads, the connection test);
 2. points the sandbox app's webhooks at the measured hub, edits companies one after the other through the sandbox's
    CRM API, and prints how long each edit took to reach its shard (p50, p95): from the edit's answer to the shard's
    updatedAt, and from the delivery's receipt (delivery log) to the shard.

  python3 bench/hubspot.py [--companies 10000] [--heap 512m] [--edits 40] [--batch-window-ms 200] [--hub-arg=...]

The integration's and tenant's rate limits are lifted (the catalog's 250 calls/min would measure the pacing); the
sandbox's batch window (HubSpot collects events before it sends them) is part of edit-to-shard.

Standard library only. Build the jar first: mvn -B -DskipTests package
"""
import argparse, json, os, statistics, sys, tempfile, time, urllib.request
from datetime import datetime

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from hubproc import ADMIN, JAR, bench_tenant, call, free_port, run_and_wait, start, stop, wait_up  # noqa: E402

APP_SECRET = "bench-hubspot-app-client-secret"
TOKEN = "pat-sandbox"


def iso(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100.0 * (len(ordered) - 1))))]


def hubspot(method, url, body=None):
    return call(method, url, TOKEN, body)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--companies", type=int, default=10000, help="seeded companies (the sandbox's maximum is 20,000)")
    ap.add_argument("--heap", default="512m", help="-Xmx of the measured hub")
    ap.add_argument("--edits", type=int, default=40, help="company edits for the webhook latency")
    ap.add_argument("--batch-window-ms", type=int, default=200, help="how long the sandbox collects events before it sends them")
    ap.add_argument("--hub-arg", action="append", default=[], help="extra argument for the measured hub")
    a = ap.parse_args()
    if not os.path.exists(JAR):
        sys.exit("build the jar first: mvn -B -DskipTests package")

    work = tempfile.mkdtemp(prefix="hub-hubspot-bench-")
    provider_port, hub_port = free_port(), free_port()
    provider, _ = start("provider", provider_port, [
        "--hub.sandbox.hubspot.companies=%d" % a.companies,
        "--hub.sandbox.hubspot.webhook-batch-window=%dms" % a.batch_window_ms,
        # the sandbox sends webhooks to its own origin only, unless told: here the measured hub's
        "--hub.sandbox.hubspot.webhook-allowed-hosts=localhost:%d" % hub_port], "1g", work)
    hub, hub_log = start("hub", hub_port, ["--hub.sandbox.enabled=false", "--hub.outbound.allowed-hosts=localhost:%d" % provider_port]
                         + a.hub_arg, a.heap, work)
    try:
        # two JVMs start side by side: on a busy machine that takes longer than the helper's default wait
        wait_up(provider_port, provider, timeout=600)
        wait_up(hub_port, hub, timeout=600)
        base = "http://localhost:%d" % hub_port
        sandbox = "http://localhost:%d/sandbox/hubspot" % provider_port
        key = bench_tenant(base)
        lifted = {"requests": 60000, "windowSeconds": 60}
        call("PUT", base + "/api/tenant/rate-limits", key, {"tenant": lifted})
        integration = call("POST", base + "/api/tenant/integrations", key, {"providerId": "hubspot", "name": "bench"})["id"]
        call("PUT", base + "/api/tenant/integrations/%s/rate-limits" % integration, key, {"integration": lifted})
        calls_before = hubspot("GET", sandbox + "/setup/limits")["dailyUsed"]
        connected = call("POST", base + "/api/tenant/integrations/%s/connect/api-key" % integration, key,
                         {"type": "private_app_token", "credentials": {"accessToken": TOKEN, "baseUrl": sandbox}})
        if not connected["ok"]:
            sys.exit("connect failed: " + connected["message"])

        # 1. full syncs
        results = {}
        began = time.time()
        for entity in ("companies", "contacts", "deals"):
            t0 = time.time()
            e = run_and_wait(base, key, integration, entity, poll=0.05)
            if e["status"] != "completed":
                sys.exit("%s sync ended %s: %s" % (entity, e["status"], e.get("error")))
            results[entity] = (e["recordsCreated"], e["durationMs"], time.time() - t0)
        elapsed = time.time() - began
        calls = hubspot("GET", sandbox + "/setup/limits")["dailyUsed"] - calls_before
        total = sum(r[0] for r in results.values())
        print("companies seeded       %d (records %d)" % (a.companies, 4 * a.companies))
        for entity, (created, duration_ms, wall) in results.items():
            print("%-22s %6d records in %6.2f s (execution %d ms) = %7.0f records/s" % (entity, created, wall, duration_ms, created / wall))
        print("full sync              %6d records in %6.2f s = %7.0f records/s" % (total, elapsed, total / elapsed))
        print("API calls              %d for %d records = %.1f per 1,000 records (sandbox count: searches, association reads, "
              "connection test)" % (calls, total, calls * 1000.0 / total))

        # 2. webhook edit to shard
        registration = call("POST", base + "/api/tenant/integrations/%s/webhooks" % integration, key,
                            {"scheme": "hubspot", "events": ["company.*"], "secret": APP_SECRET})
        hubspot("PUT", sandbox + "/setup/webhooks", {"targetUrl": registration["url"], "clientSecret": APP_SECRET,
                                                    "subscriptions": [{"eventType": "company.propertyChange"}]})
        shard_of = {}
        cursor = None
        while True:
            page = call("GET", base + "/api/tenant/shards?type=c_company&limit=1000" + ("&cursor=" + cursor if cursor else ""), key)
            for s in page["items"]:
                shard_of[s["externalRelationships"][0]["externalId"]] = s["id"]
            cursor = page["nextCursor"]
            if not cursor:
                break
        records = hubspot("POST", sandbox + "/crm/v3/objects/companies/search",
                          {"sorts": [{"propertyName": "hs_lastmodifieddate", "direction": "ASCENDING"}], "limit": min(200, a.edits),
                           "properties": ["name"]})["results"]
        edit_to_shard, receipt_to_shard = [], []
        for i, record in enumerate(records[:a.edits]):
            name = "Bench edit %d %d" % (i, time.time_ns())
            hubspot("PATCH", sandbox + "/crm/v3/objects/companies/" + record["id"], {"properties": {"name": name}})
            edited = time.time()
            deadline = edited + 30
            while True:
                shard = call("GET", base + "/api/tenant/shards/" + shard_of[record["id"]], key)
                if shard["structuredData"].get("name") == name:
                    break
                if time.time() > deadline:
                    sys.exit("shard for %s did not follow the edit" % record["id"])
                time.sleep(0.005)
            edit_to_shard.append((iso(shard["updatedAt"]) - edited) * 1000)
            found = [d for d in call("GET", base + "/api/webhooks/deliveries?limit=50&registrationId=" + registration["id"], key)["items"]
                     if any(e.get("externalId") == record["id"] for e in d.get("events") or [])]
            if found:
                receipt_to_shard.append((iso(shard["updatedAt"]) - iso(found[0]["receivedAt"])) * 1000)
        if edit_to_shard:
            print("edit to shard          p50 %.0f ms, p95 %.0f ms over %d company edits (edit answered -> shard updatedAt; "
                  "includes the sandbox's %d ms batch window)" % (percentile(edit_to_shard, 50), percentile(edit_to_shard, 95),
                                                                len(edit_to_shard), a.batch_window_ms))
        if receipt_to_shard:
            print("receipt to shard       p50 %.0f ms, p95 %.0f ms (delivery receivedAt -> shard updatedAt)"
                  % (percentile(receipt_to_shard, 50), percentile(receipt_to_shard, 95)))
        for step in ("fetch-page", "split-records", "upsert-shards"):
            try:
                mbean = 'org.apache.camel:context=castiel-hub,type=processors,name="%s"' % step
                stats = call("POST", base + "/actuator/jolokia", ADMIN,
                             {"type": "read", "mbean": mbean, "attribute": ["TotalProcessingTime", "ExchangesCompleted"]})["value"]
                print("  step %-17s %7d ms total over %d calls" % (step, stats["TotalProcessingTime"], stats["ExchangesCompleted"]))
            except Exception as e:
                print("  step %-17s (no statistics: %s)" % (step, e))
    finally:
        stop([hub, provider], work, "/tmp/hubspot-bench-hub.log", hub_log)


if __name__ == "__main__":
    main()
