#!/usr/bin/env python3
"""Full-sync benchmark: throughput, peak heap and startup time of the hub.

Starts two hub processes from target/castiel-integration-hub.jar: a "provider" that only serves
the Salesforce sandbox (N accounts, so 4N records), and the measured hub (sandbox off, heap capped)
connected to it over HTTP. Runs full syncs of Account, Contact and Opportunity and prints records
per second, the peak heap the measured hub used (sampled from its metrics), and its startup time.

  python3 bench/full-sync.py [--accounts 10000] [--heap 512m] [--page-latency-ms 0] [--matching on|off] [--hub-arg=...]

Entity resolution is on for companies and contacts, as on any tenant; --matching off switches it off for the bench
tenant (PUT /api/tenant/match-rules/{type} {"enabled": false}) to measure the sync without it.

On PostgreSQL (schema hub_bench, emptied first):
  psql -h 127.0.0.1 -U postgres -d test -c 'DROP SCHEMA IF EXISTS hub_bench CASCADE'
  python3 bench/full-sync.py --hub-arg=--spring.profiles.active=postgres \
    --hub-arg=--spring.datasource.url=jdbc:postgresql://127.0.0.1:5432/test?currentSchema=hub_bench \
    --hub-arg=--spring.flyway.schemas=hub_bench --hub-arg=--hub.crypto.keyset-file=/tmp/hub-bench-keyset.json

HUB_JAVA_OPTS adds JVM options to the measured hub (for example a flight recording).

Standard library only. Build the jar first: mvn -B -DskipTests package
"""
import argparse, os, re, sys, tempfile, threading, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from hubproc import ADMIN, JAR, bench_tenant, call, free_port, run_and_wait, salesforce_integration, start, stop, wait_up  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--accounts", type=int, default=10000)
    ap.add_argument("--heap", default="512m", help="-Xmx of the measured hub")
    ap.add_argument("--page-latency-ms", type=int, default=0, help="delay the sandbox adds per call")
    ap.add_argument("--matching", choices=["on", "off"], default="on", help="entity resolution of companies and contacts")
    ap.add_argument("--hub-arg", action="append", default=[], help="extra argument for the measured hub, e.g. --hub-arg=--spring.profiles.active=postgres")
    a = ap.parse_args()
    if not os.path.exists(JAR):
        sys.exit("build the jar first: mvn -B -DskipTests package")

    work = tempfile.mkdtemp(prefix="hub-bench-")
    provider_port, hub_port = free_port(), free_port()
    provider, _ = start("provider", provider_port, ["--hub.sandbox.salesforce.accounts=%d" % a.accounts,
                                                     "--hub.sandbox.salesforce.latency-ms=%d" % a.page_latency_ms], "1g", work)
    # the provider runs on loopback in another process: the measured hub's outbound guard is told to allow it
    hub, hub_log = start("hub", hub_port, ["--hub.sandbox.enabled=false", "--hub.outbound.allowed-hosts=localhost:%d" % provider_port]
                         + a.hub_arg, a.heap, work)
    try:
        wait_up(provider_port, provider)
        wait_up(hub_port, hub)
        startup = re.search(r"Started CastielHubApplication in ([0-9.]+) seconds", open(hub_log).read()).group(1)
        base = "http://localhost:%d" % hub_port
        key = bench_tenant(base)
        if a.matching == "off":
            for shard_type in ("c_company", "c_contact"):
                call("PUT", base + "/api/tenant/match-rules/" + shard_type, key, {"enabled": False})
        # the hub's own pace for Salesforce applies: a full sync makes a call per 2,000 records
        integration = salesforce_integration(base, key, "http://localhost:%d/sandbox/salesforce" % provider_port)

        peak = [0.0]
        sampling_done = threading.Event()

        def sample():
            while not sampling_done.is_set():
                try:
                    used = call("GET", base + "/actuator/metrics/jvm.memory.used?tag=area:heap", ADMIN)["measurements"][0]["value"]
                    peak[0] = max(peak[0], used)
                except Exception:
                    pass
                time.sleep(0.1)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        results = {}
        began = time.time()
        for entity in ("Account", "Contact", "Opportunity"):
            t0 = time.time()
            e = run_and_wait(base, key, integration, entity, poll=0.05)
            if e["status"] != "completed":
                sys.exit("%s sync ended %s: %s" % (entity, e["status"], e.get("error")))
            results[entity] = (e["recordsProcessed"], e["durationMs"], time.time() - t0)
        elapsed = time.time() - began
        sampling_done.set()
        sampler.join()

        total = sum(r[0] for r in results.values())
        print("accounts seeded        %d (records %d), entity resolution %s" % (a.accounts, 4 * a.accounts, a.matching))
        for entity, (created, duration_ms, wall) in results.items():
            print("%-22s %6d records in %6.2f s (execution %d ms) = %7.0f records/s" % (entity, created, wall, duration_ms, created / wall))
        print("full sync              %6d records in %6.2f s = %7.0f records/s" % (total, elapsed, total / elapsed))
        print("peak heap used         %.0f MB (measured hub, -Xmx%s, sampled every 100 ms)" % (peak[0] / 1048576, a.heap))
        print("hub startup            %s s (Spring Boot's 'Started ... in')" % startup)
        # where the time went, from the Camel route statistics exposed over Jolokia
        for step in ("fetch-page", "split-records", "upsert-shards", "sync-deletions"):
            try:
                mbean = 'org.apache.camel:context=castiel-hub,type=processors,name="%s"' % step
                stats = call("POST", base + "/actuator/jolokia", ADMIN,
                             {"type": "read", "mbean": mbean, "attribute": ["TotalProcessingTime", "ExchangesCompleted"]})["value"]
                print("  step %-17s %7d ms total over %d calls" % (step, stats["TotalProcessingTime"], stats["ExchangesCompleted"]))
            except Exception as e:
                print("  step %-17s (no statistics: %s)" % (step, e))
    finally:
        stop([hub, provider], work)


if __name__ == "__main__":
    main()
