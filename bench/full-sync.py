#!/usr/bin/env python3
"""Full-sync benchmark: throughput, peak heap and startup time of the hub.

Starts two hub processes from target/castiel-integration-hub.jar: a "provider" that only serves
the Salesforce sandbox (N accounts, so 4N records), and the measured hub (sandbox off, heap capped)
connected to it over HTTP. Runs full syncs of Account, Contact and Opportunity and prints records
per second, the processor time the measured hub used during it, the peak heap it used (sampled from its metrics), and its
startup time.

Then, in the same run, the floor: the measured hub stops and a plain JDBC batch upsert (store.UpsertFloor, a command
line entry in the jar, not an endpoint) copies the same rows the sync wrote (each record's shard row and link row, with
the synced data) into the same store, committed per page of the sync's page size; the benchmark prints its rate and the
sync's share of it.

  python3 bench/full-sync.py [--accounts 10000] [--heap 512m] [--page-latency-ms 0] [--matching on|off] [--warm] [--hub-arg=...]
  python3 bench/full-sync.py --scale 10000,100000,1000000 --heap 128m --provider-heap 6g    (one run per record count: the scale curve)

--warm first syncs the same records into another tenant, so that the measured sync is a warm hub's (its code compiled),
not its first work after start-up.

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
import argparse, os, re, subprocess, sys, tempfile, threading, time, urllib.parse, urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from hubproc import ADMIN, JAR, bench_tenant, call, cpu_seconds, free_port, jit_cpu_seconds, run_and_wait, salesforce_integration, start, stop, wait_up  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--accounts", type=int, default=10000)
    ap.add_argument("--heap", default="512m", help="-Xmx of the measured hub")
    ap.add_argument("--provider-heap", default="1g", help="-Xmx of the provider process (a million records want more)")
    ap.add_argument("--page-latency-ms", type=int, default=0, help="delay the sandbox adds per call")
    ap.add_argument("--matching", choices=["on", "off"], default="on", help="entity resolution of companies and contacts")
    ap.add_argument("--hub-arg", action="append", default=[], help="extra argument for the measured hub, e.g. --hub-arg=--spring.profiles.active=postgres")
    ap.add_argument("--scale", help="comma-separated record counts (4 per account): one run each, then a table of the curve")
    ap.add_argument("--no-floor", action="store_true", help="skip the plain JDBC upsert floor")
    ap.add_argument("--warm", action="store_true",
                    help="before the measured sync, the same records synced once into another tenant: the hub's code compiled")
    ap.add_argument("--chart", help="with --scale: write an SVG chart of the curve (records/s, floor, peak heap) to this file")
    a = ap.parse_args()
    if not os.path.exists(JAR):
        sys.exit("build the jar first: mvn -B -DskipTests package")
    if not a.scale:
        run(a, a.accounts)
        return
    curve = []
    for records in [int(r) for r in a.scale.split(",")]:
        curve.append((records,) + run(a, max(1, records // 4)))
        print()
    print("scale curve (-Xmx%s, entity resolution %s)" % (a.heap, a.matching))
    print("%10s %12s %14s %12s %8s" % ("records", "records/s", "peak heap MB", "floor rec/s", "ratio"))
    for records, rate, peak, floor in curve:
        print("%10d %12.0f %14.0f %12s %8s" % (records, rate, peak, "%.0f" % floor if floor else "-",
                                              "%.0f%%" % (100 * rate / floor) if floor else "-"))
    if a.chart:
        from svgchart import line_chart
        series = {"full sync records/s": [(r, rate) for r, rate, _, _ in curve]}
        if all(floor for _, _, _, floor in curve):
            series["floor records/s"] = [(r, floor) for r, _, _, floor in curve]
            series["60 % of the floor"] = [(r, 0.6 * floor) for r, _, _, floor in curve]
        line_chart(a.chart, "Full sync by records (-Xmx%s)" % a.heap, "records", "records/s", series, log_x=True)
        line_chart(a.chart.replace(".svg", "-heap.svg"), "Peak heap by records (-Xmx%s)" % a.heap, "records", "MB",
                   {"peak heap used": [(r, peak) for r, _, peak, _ in curve]}, log_x=True)
        print("charts: %s, %s" % (a.chart, a.chart.replace(".svg", "-heap.svg")))


def hub_arg(args, name, default=None):
    for arg in args:
        if arg.startswith("--" + name + "="):
            return arg.split("=", 1)[1]
    return default


def floor(a, work, integration):
    """The plain JDBC batch upsert of the rows the sync wrote, in the same store (the measured hub stopped): (records, s)."""
    url = hub_arg(a.hub_arg, "spring.datasource.url",
                  "jdbc:h2:file:%s/db/hub;DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0;QUERY_CACHE_SIZE=0" % os.path.join(work, "hub"))
    user = hub_arg(a.hub_arg, "spring.datasource.username", "postgres" if url.startswith("jdbc:postgresql") else "sa")
    password = hub_arg(a.hub_arg, "spring.datasource.password", "")
    page = hub_arg(a.hub_arg, "hub.sync.page-size", "2000")
    out = subprocess.run(["java", "-Xmx1g", "-cp", JAR, "-Dloader.main=store.UpsertFloor",
                          "org.springframework.boot.loader.launch.PropertiesLauncher", url, user, password, integration, page],
                         capture_output=True, text=True)
    found = re.search(r"^floor (\d+) (\d+)$", out.stdout, re.M)
    if not found:
        sys.exit("floor failed: " + out.stdout[-2000:] + out.stderr[-2000:])
    return int(found.group(1)), int(found.group(2)) / 1000.0


def seed_provider(port):
    """Logs in to the provider's sandbox once: its org is seeded on the first login, which for hundreds of thousands of
    accounts takes longer than the measured hub's login waits."""
    form = urllib.parse.urlencode({"grant_type": "password", "client_id": "sandbox-client", "client_secret": "sandbox-secret",
                                   "username": "admin@sandbox.example", "password": "sandbox"}).encode()
    with urllib.request.urlopen("http://localhost:%d/sandbox/salesforce/services/oauth2/token" % port, data=form, timeout=1800) as r:
        r.read()


def run(a, accounts):
    work = tempfile.mkdtemp(prefix="hub-bench-")
    provider_port, hub_port = free_port(), free_port()
    provider, _ = start("provider", provider_port, ["--hub.sandbox.salesforce.accounts=%d" % accounts,
                                                     "--hub.sandbox.salesforce.latency-ms=%d" % a.page_latency_ms], a.provider_heap, work)
    # the provider runs on loopback in another process: the measured hub's outbound guard is told to allow it
    hub, hub_log = start("hub", hub_port, ["--hub.sandbox.enabled=false", "--hub.outbound.allowed-hosts=localhost:%d" % provider_port]
                         + a.hub_arg, a.heap, work)
    try:
        wait_up(provider_port, provider, timeout=1800)
        seed_provider(provider_port)
        wait_up(hub_port, hub, timeout=1800)
        startup = re.search(r"Started CastielHubApplication in ([0-9.]+) seconds", open(hub_log).read()).group(1)
        base = "http://localhost:%d" % hub_port
        if a.warm:
            # another tenant syncs the same org first: what is measured is then a warm hub's sync, not its first work
            call("POST", base + "/api/admin/tenants", ADMIN, {"id": "warmup", "name": "Warm-up"})
            warm_key = call("POST", base + "/api/admin/tenants/warmup/api-keys", ADMIN, {})["key"]
            warm = salesforce_integration(base, warm_key, "http://localhost:%d/sandbox/salesforce" % provider_port)
            for entity in ("Account", "Contact", "Opportunity"):
                run_and_wait(base, warm_key, warm, entity, poll=0.5)
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
        cpu_before = cpu_seconds(hub.pid), jit_cpu_seconds(hub.pid)
        began = time.time()
        for entity in ("Account", "Contact", "Opportunity"):
            t0 = time.time()
            e = run_and_wait(base, key, integration, entity, poll=0.05)
            if e["status"] != "completed":
                sys.exit("%s sync ended %s: %s" % (entity, e["status"], e.get("error")))
            results[entity] = (e["recordsProcessed"], e["durationMs"], time.time() - t0)
        elapsed = time.time() - began
        cpu_after = cpu_seconds(hub.pid), jit_cpu_seconds(hub.pid)
        sampling_done.set()
        sampler.join()

        total = sum(r[0] for r in results.values())
        print("accounts seeded        %d (records %d), entity resolution %s%s" % (accounts, 4 * accounts, a.matching,
              ", after the same sync into another tenant (--warm)" if a.warm else ""))
        for entity, (created, duration_ms, wall) in results.items():
            print("%-22s %6d records in %6.2f s (execution %d ms) = %7.0f records/s" % (entity, created, wall, duration_ms, created / wall))
        print("full sync              %6d records in %6.2f s = %7.0f records/s" % (total, elapsed, total / elapsed))
        print("peak heap used         %.0f MB (measured hub, -Xmx%s, sampled every 100 ms)" % (peak[0] / 1048576, a.heap))
        cpu, jit = cpu_after[0] - cpu_before[0], cpu_after[1] - cpu_before[1]
        print("hub processor time     %.1f s during the sync = %.2f ms per record (JIT compilers %.1f s of it)"
              % (cpu, 1000 * cpu / total, jit))
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
        rate = total / elapsed
        if a.no_floor:
            return rate, peak[0] / 1048576, None
        stop([hub], None)
        rows, seconds = floor(a, work, integration)
        print("floor: JDBC batch upsert %6d records in %6.2f s = %7.0f records/s (shard row + link row each, a commit per page, same store)"
              % (rows, seconds, rows / seconds))
        print("full sync / floor      %.0f%%" % (100 * rate / (rows / seconds)))
        return rate, peak[0] / 1048576, rows / seconds
    finally:
        stop([hub, provider], work)


if __name__ == "__main__":
    main()
