#!/usr/bin/env python3
"""Write-back benchmark: records per second written back to the Salesforce sandbox, provider calls per 1,000 records,
and the time from a shard PATCH to the provider holding the value, at each write-back batch size.

For each --batch-sizes value (hub.writeback.batch-size; 1 writes every record alone, larger sizes use Salesforce's
Composite API) starts the Salesforce sandbox in a process of its own and the measured hub (embedded default, H2) from
target/castiel-integration-hub.jar, connects a bidirectional Salesforce integration, syncs the Accounts, then:
 1. throughput: with write-back paused, PATCHes --records shards from --clients threads (the changes wait in the
    outbox), restarts the hub with write-back on and waits until nothing is queued (hub.writeback.queued); prints
    records written back per second from the hub being up (start-up's cold code and first provider login included),
    and through the write-back itself: from the first row handed to the queue to the last finished (the rows'
    relayedAt and finishedAt); the processor time the hub and the sandbox spent from the hub being up to the end, per
    1,000 records (/proc, so it holds up better than the rates when other work shares the cores); and the API calls
    the sandbox org counted meanwhile (its /limits), per 1,000 records;
 2. latency: --samples PATCHes one after another, each to another shard; after each, polls the
    sandbox record until it holds the new value; prints p50/p90/max PATCH-to-provider.
A table of the sizes ends the run.

  python3 bench/write-back.py [--records 2000] [--clients 8] [--samples 50] [--batch-sizes 1,50,200]
                              [--hub-arg=--hub.writeback.consumers=8]

Build the jar first: mvn -B -DskipTests package
"""
import argparse, json, os, re, signal, statistics, sys, tempfile, time, urllib.parse, urllib.request
from datetime import datetime
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from hubproc import ADMIN, JAR, bench_tenant, call, cpu_seconds, free_port, run_and_wait, salesforce_integration, start, stop, wait_up  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--records", type=int, default=2000, help="shards changed for the throughput run")
    ap.add_argument("--clients", type=int, default=8, help="threads sending PATCHes")
    ap.add_argument("--samples", type=int, default=50, help="PATCHes timed one by one for the latency")
    ap.add_argument("--batch-sizes", default="1,50,200", help="hub.writeback.batch-size values, one hub each")
    ap.add_argument("--heap", default="1g")
    ap.add_argument("--hub-arg", action="append", default=[])
    ap.add_argument("--chart", help="write an SVG chart of records/s and calls per 1,000 by batch size to this file")
    a = ap.parse_args()
    if not os.path.exists(JAR):
        sys.exit("build the jar first: mvn -B -DskipTests package")
    results = []
    for size in [int(x) for x in a.batch_sizes.split(",") if x.strip()]:
        print("-- hub.writeback.batch-size=%d" % size)
        results.append((size,) + run(a, size))
    print("batch size   records/s from hub up   records/s relayed to finished   provider calls per 1,000 records   PATCH-to-provider p50")
    for size, rate, pipeline, calls, p50 in results:
        print("%10d   %21.0f   %29.0f   %32.0f   %18.0f ms" % (size, rate, pipeline, calls, p50))
    if a.chart:
        from svgchart import line_chart
        line_chart(a.chart, "Write-back to the Salesforce sandbox by batch size", "hub.writeback.batch-size", "per second / per 1,000",
                   {"records/s (hub up)": [(str(r[0]), r[1]) for r in results],
                    "records/s (relayed to finished)": [(str(r[0]), r[2]) for r in results],
                    "provider calls per 1,000": [(str(r[0]), r[3]) for r in results],
                    "goal: 1,000 records/s": [(str(r[0]), 1000) for r in results]})
        print("chart                   " + a.chart)


def parse_time(text):
    """Seconds since the epoch of an ISO-8601 time as the hub's API writes it (offset or Z, any fraction)."""
    return datetime.fromisoformat(re.sub(r"(\.\d{6})\d+", r"\1", text.replace("Z", "+00:00"))).timestamp()


def api_used(sandbox, token):
    """API calls the org has counted today (its /limits resource; the call itself included)."""
    limits = call("GET", sandbox + "/services/data/v59.0/limits", token)["DailyApiRequests"]
    return limits["Max"] - limits["Remaining"]


def queued(base):
    """Write-backs in the outbox or on the queues (the hub.writeback.queued gauge)."""
    return call("GET", base + "/actuator/metrics/hub.writeback.queued", ADMIN)["measurements"][0]["value"]


def run(a, size):
    """One measured hub with write-back batches of `size`, and the Salesforce sandbox in a process of its own (it keeps
    its records while the hub restarts): (records per second, provider calls per 1,000 records, latency p50 ms)."""
    accounts = max(a.records + a.samples, 1000)
    work = tempfile.mkdtemp(prefix="hub-writeback-bench-")
    provider_port, port = free_port(), free_port()
    provider, _ = start("provider", provider_port, ["--hub.sandbox.salesforce.accounts=%d" % accounts,
                                                     "--hub.sandbox.salesforce.api-daily-limit=100000000"], a.heap, work)
    hub_args = ["--hub.sandbox.enabled=false", "--hub.outbound.allowed-hosts=localhost:%d" % provider_port,
                "--hub.writeback.batch-size=%d" % size] + a.hub_arg
    # first with write-back paused: the PATCHes make a backlog in the outbox
    hub, log = start("hub", port, hub_args + ["--hub.writeback.paused=true"], a.heap, work)
    procs = [hub, provider]
    try:
        wait_up(provider_port, provider, timeout=600)
        wait_up(port, hub, timeout=600)
        base = "http://localhost:%d" % port
        sandbox = "http://localhost:%d/sandbox/salesforce" % provider_port
        key = bench_tenant(base)
        integration = salesforce_integration(base, key, sandbox, {"syncDirection": "bidirectional"}, unpaced=True)
        run_and_wait(base, key, integration, "Account")
        login = json.loads(urllib.request.urlopen(urllib.request.Request(sandbox + "/services/oauth2/token", data=urllib.parse.urlencode({
            "grant_type": "password", "client_id": "sandbox-client", "client_secret": "sandbox-secret",
            "username": "admin@sandbox.example", "password": "sandbox"}).encode())).read())
        token = login["access_token"]

        shards = []
        cursor = None
        while True:
            page = call("GET", base + "/api/tenant/shards?type=c_company&limit=1000" + ("&cursor=" + cursor if cursor else ""), key)
            shards += [(s["id"], s["externalRelationships"][0]["externalId"]) for s in page["items"]]
            cursor = page.get("nextCursor")
            if not cursor:
                break
        samples, bulk = shards[:a.samples], shards[a.samples:a.samples + a.records]

        # 1. throughput from a backlog: the changes wait in the outbox, then the hub restarts with write-back on
        t0 = time.time()
        with ThreadPoolExecutor(a.clients) as pool:
            list(pool.map(lambda s: call("PATCH", base + "/api/tenant/shards/" + s[0], key,
                                         {"structuredData": {"phone": "+1 555 %s" % s[1][-6:]}}), bulk))
        patched = time.time() - t0
        print("PATCHes accepted        %d in %.1f s (%d clients, %.0f per second), write-back paused"
              % (len(bulk), patched, a.clients, len(bulk) / patched))
        hub.send_signal(signal.SIGTERM)
        hub.wait(60)
        used_before = api_used(sandbox, token)
        hub, log = start("hub", port, hub_args, a.heap, work)
        procs = [hub, provider]
        wait_up(port, hub, timeout=600)
        t0 = time.time()
        cpu0 = cpu_seconds(hub.pid), cpu_seconds(provider.pid)
        deadline = t0 + 600
        while queued(base) > 0:
            if time.time() > deadline:
                sys.exit("write-backs unfinished after 10 minutes")
            time.sleep(0.05)
        elapsed = time.time() - t0
        hub_cpu, provider_cpu = cpu_seconds(hub.pid) - cpu0[0], cpu_seconds(provider.pid) - cpu0[1]
        # this reading and the one before are the benchmark's own
        calls = api_used(sandbox, token) - used_before - 1
        with ThreadPoolExecutor(a.clients) as pool:
            writes = [w for items in pool.map(lambda s: call("GET", base + "/api/tenant/shards/%s/writes" % s[0], key)["items"], bulk)
                      for w in items]
        failed = sum(1 for w in writes if w["status"] != "done")
        print("written back            %d records in %.1f s from the hub being up: %.0f records per second (%d not done)"
              % (len(bulk), elapsed, len(bulk) / elapsed, failed))
        relayed = [parse_time(w["relayedAt"]) for w in writes if w.get("relayedAt")]
        pipeline = 0
        if relayed:  # hubs before relayedAt was shown have no such figure
            last_finished = max(parse_time(w["finishedAt"]) for w in writes if w.get("finishedAt"))
            pipeline = len(bulk) / max(0.001, last_finished - min(relayed))
            print("write-back itself       %.2f s from the first row relayed to the last finished: %.0f records per second"
                  % (last_finished - min(relayed), pipeline))
        print("processor time          hub %.1f s, sandbox %.1f s from the hub being up: %.1f s per 1,000 records together"
              % (hub_cpu, provider_cpu, (hub_cpu + provider_cpu) * 1000.0 / len(bulk)))
        per_thousand = calls * 1000.0 / max(1, len(bulk))
        print("provider calls          %d for %d records: %.0f per 1,000 records" % (calls, len(bulk), per_thousand))

        # 2. PATCH -> provider latency, one at a time
        latencies = []
        for i, (shard, record) in enumerate(samples):
            value = "latency %d %d" % (i, time.time_ns())
            t0 = time.time()
            call("PATCH", base + "/api/tenant/shards/" + shard, key, {"structuredData": {"description": value}})
            while call("GET", sandbox + "/services/data/v59.0/sobjects/Account/%s?fields=Description" % record, token).get("Description") != value:
                if time.time() - t0 > 30:
                    sys.exit("the provider did not get the value of shard %s within 30 s" % shard)
                time.sleep(0.002)
            latencies.append((time.time() - t0) * 1000)
        latencies.sort()
        p50 = statistics.median(latencies) if latencies else 0
        if latencies:
            print("PATCH to provider       p50 %.0f ms, p90 %.0f ms, max %.0f ms over %d sequential edits"
                  % (p50, latencies[max(0, int(len(latencies) * 0.9) - 1)], latencies[-1], len(latencies)))
        return len(bulk) / elapsed, pipeline, per_thousand, p50
    finally:
        stop(procs, work, "/tmp/writeback-bench-hub.log", log)


if __name__ == "__main__":
    main()
