#!/usr/bin/env python3
"""OneDrive benchmark: full-sync throughput, Graph calls per 1,000 records, change-notification-to-shard latency.

Starts one hub process from target/castiel-integration-hub.jar with its sandbox TLS port (Graph and Entra answer only
over https, and the hub trusts only its own sandbox certificate, so the Graph sandbox and the measured hub share the
process): drives of the Graph sandbox with N files in all (at most 1,000 a drive), and a OneDrive integration selecting
them, connected app-only (Entra sandbox, sandbox-client / sandbox-secret) to https://localhost:<tls port>/v1.0. It

 1. runs a full sync of documents (each drive's root/delta enumerated, pages of the hub's page size) and prints records
    per second and how many Graph calls the sandbox counted per 1,000 records (the connection test, each drive's name,
    the delta pages);
 2. registers the hub's receiver (a Graph subscription per drive root, over the TLS port), adds files one after the
    other, and prints how long each took to reach its shard (p50, p95): from the moment the sandbox answered the "file
    added" call to the shard's createdAt (notification, incremental pass over every selected drive's delta, write).

  python3 bench/onedrive.py [--files 2000] [--pushes 20] [--heap 512m] [--hub-arg=...]

The integration's and tenant's limits are lifted and the sandbox's window is a day with no practical limit (it counts the
calls), so the figures are the hub's.

Standard library only. Build the jar first: mvn -B -DskipTests package
"""
import argparse, json, os, sys, tempfile, time, urllib.parse, urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from hubproc import JAR, all_shards, graph_token, iso, percentile, bench_tenant, call, free_port, run_and_wait, start, stop, wait_up  # noqa: E402


def setup(base, token, method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(base + "/sandbox/graph/setup" + path, data=data, method=method,
                                 headers={"Authorization": "Bearer " + token})
    if data is not None:
        req.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(req, timeout=60) as response:
        text = response.read().decode()
        return json.loads(text) if text else None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--files", type=int, default=2000, help="files in all, over drives of at most 1,000")
    ap.add_argument("--heap", default="768m", help="-Xmx of the hub")
    ap.add_argument("--pushes", type=int, default=20, help="files added for the push latency")
    ap.add_argument("--hub-arg", action="append", default=[], help="extra argument for the hub")
    a = ap.parse_args()
    if not os.path.exists(JAR):
        sys.exit("build the jar first: mvn -B -DskipTests package")

    work = tempfile.mkdtemp(prefix="hub-onedrive-bench-")
    port, tls = free_port(), free_port()
    hub, hub_log = start("hub", port, ["--hub.sandbox.tls-port=%d" % tls, "--hub.sandbox.graph.drives=0",
                                       "--hub.sandbox.graph.teams=0"] + a.hub_arg, a.heap, work)
    try:
        wait_up(port, hub, timeout=600)
        base = "http://localhost:%d" % port
        token = graph_token(base)
        # a day-long window with no practical limit: its count is the calls made
        setup(base, token, "POST", "/limits", {"rateLimit": 1000000000, "windowSeconds": 86400})
        drives, left, n = [], a.files, 0
        while left > 0:
            made = setup(base, token, "POST", "/drives", {"name": "bench-%d" % n, "files": min(1000, left)})
            drives.append(made["id"])
            left -= min(1000, left)
            n += 1
        key = bench_tenant(base)
        integration = call("POST", base + "/api/tenant/integrations", key,
                           {"providerId": "onedrive", "name": "bench", "sources": {"documents": drives}})["id"]
        lifted = {"requests": 60000, "windowSeconds": 60}
        call("PUT", base + "/api/tenant/rate-limits", key, {"tenant": lifted})
        call("PUT", base + "/api/tenant/integrations/%s/rate-limits" % integration, key, {"integration": lifted})
        before = setup(base, token, "GET", "/limits")["used"]
        connected = call("POST", base + "/api/tenant/integrations/%s/connect/api-key" % integration, key,
                         {"type": "oauth2_entra_client_credentials",
                          "credentials": {"authority": "https://localhost:%d/sandbox/entra/sandbox-tenant" % tls,
                                          "clientId": "sandbox-client", "clientSecret": "sandbox-secret",
                                          "graphUrl": "https://localhost:%d/v1.0" % tls}})
        if not connected["ok"]:
            sys.exit("connect failed: " + connected["message"])

        # 1. full sync
        t0 = time.time()
        e = run_and_wait(base, key, integration, "documents", poll=0.05)
        wall = time.time() - t0
        if e["status"] != "completed":
            sys.exit("sync ended %s: %s" % (e["status"], e.get("error")))
        calls = setup(base, token, "GET", "/limits")["used"] - before
        records = e["recordsProcessed"]
        print("files seeded           %d in %d drives (limits lifted; Graph sandbox in the same process, over its TLS port)"
              % (a.files, len(drives)))
        print("full sync              %6d files in %6.2f s (execution %d ms) = %7.0f records/s"
              % (records, wall, e["durationMs"], records / wall))
        print("Graph calls            %d for %d files = %.1f per 1,000 (sandbox count, connection test included)"
              % (calls, records, calls * 1000.0 / max(1, records)))

        # 2. change notification to shard
        registration = call("POST", base + "/api/tenant/integrations/%s/webhooks" % integration, key,
                            {"scheme": "microsoft_graph", "events": ["document.*"]})
        if registration.get("providerRegistration") != "registered":
            sys.exit("subscription failed: %s" % registration)
        push_to_shard, receipt_to_shard = [], []
        deliveries = base + "/api/webhooks/deliveries?limit=50&registrationId=" + registration["id"]
        for i in range(a.pushes):
            seen = {d["id"] for d in call("GET", deliveries, key)["items"]}
            made = setup(base, token, "POST", "/drives/%s/items" % drives[0], {"name": "Bench push %d.txt" % i, "content": "pushed %d" % i})
            answered = time.time()
            wanted = drives[0] + "/" + made["id"]
            deadline = answered + 60
            shard = None
            while shard is None:
                found = [s for s in all_shards(base, key, "c_document") if s["externalRelationships"][0]["externalId"] == wanted]
                if found:
                    shard = found[0]
                elif time.time() > deadline:
                    sys.exit("no shard for file %s" % wanted)
                else:
                    time.sleep(0.01)
            push_to_shard.append((iso(shard["createdAt"]) - answered) * 1000)
            # the notifications of this file: the deliveries that came after the ones seen before it was added
            received = [iso(d["receivedAt"]) for d in call("GET", deliveries, key)["items"] if d["id"] not in seen]
            if received:
                receipt_to_shard.append((iso(shard["createdAt"]) - min(received)) * 1000)
        print("push to shard          p50 %.0f ms, p95 %.0f ms over %d files (added -> shard createdAt)"
              % (percentile(push_to_shard, 50), percentile(push_to_shard, 95), len(push_to_shard)))
        if receipt_to_shard:
            print("receipt to shard       p50 %.0f ms, p95 %.0f ms (notification receivedAt -> shard createdAt)"
                  % (percentile(receipt_to_shard, 50), percentile(receipt_to_shard, 95)))
    finally:
        stop([hub], work, "/tmp/onedrive-bench-hub.log", hub_log)


if __name__ == "__main__":
    main()
