#!/usr/bin/env python3
"""Dynamics 365 full-sync benchmark: records per second and Web API calls per 1,000 records.

Starts two hub processes from target/castiel-integration-hub.jar: a "provider" that serves the Dynamics 365 (Dataverse)
and Entra ID sandboxes (N accounts, each with 2 contacts and 1 opportunity, so 4N rows), and the measured hub (sandbox
off) connected to it over HTTP with an app registration (client credentials). Runs full syncs of accounts, contacts and
opportunities and prints records per second, the Web API calls the hub made (its provider gate's count of calls let
through), the Entra token requests, and the peak heap the measured hub used.

  python3 bench/dynamics-full-sync.py [--accounts 10000] [--page-size 2000] [--heap 512m] [--latency-ms 0] [--hub-arg=...]

Standard library only. Build the jar first: mvn -B -DskipTests package
"""
import argparse, os, sys, tempfile, threading, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from hubproc import ADMIN, JAR, bench_tenant, call, free_port, run_and_wait, start, stop, wait_up  # noqa: E402


def gate_calls(base, provider):
    """Calls the measured hub's provider gate let through to the provider so far."""
    try:
        m = call("GET", base + "/actuator/metrics/hub.ratelimit.calls?tag=provider:%s&tag=outcome:allowed" % provider, ADMIN)
        return int(m["measurements"][0]["value"])
    except Exception:
        return 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--accounts", type=int, default=10000)
    ap.add_argument("--page-size", type=int, default=2000, help="hub.sync.page-size (Prefer: odata.maxpagesize), at most 5000")
    ap.add_argument("--heap", default="512m", help="-Xmx of the measured hub")
    ap.add_argument("--latency-ms", type=int, default=0, help="delay the sandbox adds per Web API call")
    ap.add_argument("--hub-arg", action="append", default=[], help="extra argument for the measured hub")
    a = ap.parse_args()
    if not os.path.exists(JAR):
        sys.exit("build the jar first: mvn -B -DskipTests package")

    work = tempfile.mkdtemp(prefix="hub-bench-dynamics-")
    provider_port, hub_port = free_port(), free_port()
    provider, _ = start("provider", provider_port, ["--hub.sandbox.dynamics365.accounts=%d" % a.accounts,
                                                     "--hub.sandbox.dynamics365.latency-ms=%d" % a.latency_ms], "2g", work)
    hub, hub_log = start("hub", hub_port, ["--hub.sandbox.enabled=false", "--hub.sync.page-size=%d" % a.page_size,
                                           "--hub.outbound.allowed-hosts=localhost:%d" % provider_port] + a.hub_arg, a.heap, work)
    try:
        # a loaded build machine may take minutes to start two hubs side by side
        wait_up(provider_port, provider, timeout=600)
        wait_up(hub_port, hub, timeout=600)
        base = "http://localhost:%d" % hub_port
        sandbox = "http://localhost:%d/sandbox" % provider_port
        key = bench_tenant(base)
        integration = call("POST", base + "/api/tenant/integrations", key, {"providerId": "dynamics365", "name": "bench"})["id"]
        # the org is created and seeded on its first call: the connection test (WhoAmI) waits for it
        connected = call("POST", base + "/api/tenant/integrations/%s/connect/api-key" % integration, key, {
            "type": "oauth2_entra_client_credentials", "credentials": {
                "orgUrl": sandbox + "/dynamics365", "authority": sandbox + "/entra/sandbox-tenant",
                "clientId": "sandbox-client", "clientSecret": "sandbox-secret"}})
        if not connected["ok"]:
            sys.exit("connect failed: " + connected["message"])

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
        calls_before = gate_calls(base, "dynamics365")
        began = time.time()
        for entity in ("accounts", "contacts", "opportunities"):
            t0 = time.time()
            before = gate_calls(base, "dynamics365")
            e = run_and_wait(base, key, integration, entity, poll=0.05)
            if e["status"] != "completed":
                sys.exit("%s sync ended %s: %s" % (entity, e["status"], e.get("error")))
            results[entity] = (e["recordsCreated"], e["durationMs"], time.time() - t0, gate_calls(base, "dynamics365") - before)
        elapsed = time.time() - began
        calls = gate_calls(base, "dynamics365") - calls_before
        sampling_done.set()
        sampler.join()

        total = sum(r[0] for r in results.values())
        print("accounts seeded        %d (rows %d), page size %d" % (a.accounts, 4 * a.accounts, a.page_size))
        for entity, (created, duration_ms, wall, entity_calls) in results.items():
            print("%-22s %6d records in %6.2f s (execution %d ms) = %7.0f records/s, %d Web API calls"
                  % (entity, created, wall, duration_ms, created / wall, entity_calls))
        print("full sync              %6d records in %6.2f s = %7.0f records/s" % (total, elapsed, total / elapsed))
        print("Web API calls          %d = %.2f per 1,000 records (pages of up to %d rows; Entra token requests not counted)"
              % (calls, 1000.0 * calls / max(1, total), a.page_size))
        print("peak heap used         %.0f MB (measured hub, -Xmx%s, sampled every 100 ms)" % (peak[0] / 1048576, a.heap))
        for step in ("fetch-page", "split-records", "upsert-shards", "sync-deletions"):
            try:
                mbean = 'org.apache.camel:context=castiel-hub,type=processors,name="%s"' % step
                stats = call("POST", base + "/actuator/jolokia", ADMIN,
                             {"type": "read", "mbean": mbean, "attribute": ["TotalProcessingTime", "ExchangesCompleted"]})["value"]
                print("  step %-17s %7d ms total over %d calls" % (step, stats["TotalProcessingTime"], stats["ExchangesCompleted"]))
            except Exception as e:
                print("  step %-17s (no statistics: %s)" % (step, e))
    finally:
        stop([hub, provider], work, keep_log="/tmp/hub-bench-dynamics.log", log=hub_log)


if __name__ == "__main__":
    main()
