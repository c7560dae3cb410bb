#!/usr/bin/env python3
"""Graph subscription renewals: how many subscriptions the hub keeps alive per minute of renewal work.

Starts one hub process from target/castiel-integration-hub.jar with its sandbox TLS port (Graph answers only over
https), makes R OneDrive integrations of D drives each, connected app-only to the Graph sandbox, and registers the hub's
receiver on each (one Graph subscription per drive root: R registrations, R x D subscriptions). The renewal sweep is set
to find every subscription due (renew-before 30 days) and to run every 20 seconds; the Graph sandbox answers each call
after --latency-ms (a real Graph PATCH takes about a tenth of a second). The script waits for --sweeps sweeps that
renewed all R registrations and prints, from the hub's log line "Renewed R of R expiring webhook registrations in T ms",
the subscriptions renewed per minute of sweep time, and checks at the sandbox that each subscription is still the one
made (extended, not re-created) with a later expiry.

  python3 bench/graph-renewals.py [--registrations 100] [--drives 2] [--latency-ms 100] [--sweeps 2] [--hub-arg=...]

Standard library only. Build the jar first: mvn -B -DskipTests package
"""
import argparse, json, os, re, sys, tempfile, time, urllib.parse, urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from hubproc import JAR, graph_token, bench_tenant, call, free_port, start, stop, wait_up  # noqa: E402

SWEEP = re.compile(r"Renewed (\d+) of (\d+) expiring webhook registrations in (\d+) ms")


def graph(base, token, method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(base + path, data=data, method=method, headers={"Authorization": "Bearer " + token})
    if data is not None:
        req.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(req, timeout=120) as response:
        text = response.read().decode()
        return json.loads(text) if text else None


def subscriptions(base, token):
    listed, link = {}, "/sandbox/graph/v1.0/subscriptions"
    while link:
        page = graph(base, token, "GET", link)
        for s in page["value"]:
            listed[s["id"]] = s["expirationDateTime"]
        nxt = page.get("@odata.nextLink")
        link = nxt[nxt.index("/sandbox/"):] if nxt and "/sandbox/" in nxt else None
    return listed


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--registrations", type=int, default=100)
    ap.add_argument("--drives", type=int, default=2, help="drives (so Graph subscriptions) per registration")
    ap.add_argument("--latency-ms", type=int, default=100, help="the Graph sandbox's answer time")
    ap.add_argument("--sweeps", type=int, default=2)
    ap.add_argument("--heap", default="768m")
    ap.add_argument("--hub-arg", action="append", default=[])
    a = ap.parse_args()
    if not os.path.exists(JAR):
        sys.exit("build the jar first: mvn -B -DskipTests package")

    work = tempfile.mkdtemp(prefix="hub-renewal-bench-")
    port, tls = free_port(), free_port()
    hub, hub_log = start("hub", port, ["--hub.sandbox.tls-port=%d" % tls, "--hub.sandbox.graph.drives=0", "--hub.sandbox.graph.teams=0",
                                       "--hub.webhooks.renew-before=30d", "--hub.webhooks.renewal-cron=0/20 * * * * ?"] + a.hub_arg,
                        a.heap, work)
    try:
        wait_up(port, hub, timeout=600)
        base = "http://localhost:%d" % port
        token = graph_token(base)
        graph(base, token, "POST", "/sandbox/graph/setup/limits", {"rateLimit": 1000000000, "windowSeconds": 86400})
        key = bench_tenant(base)
        lifted = {"requests": 60000, "windowSeconds": 60}
        call("PUT", base + "/api/tenant/rate-limits", key, {"tenant": lifted})
        t0 = time.time()
        for r in range(a.registrations):
            drives = [graph(base, token, "POST", "/sandbox/graph/setup/drives", {"name": "renew-%d-%d" % (r, d), "files": 1})["id"]
                      for d in range(a.drives)]
            integration = call("POST", base + "/api/tenant/integrations", key,
                               {"providerId": "onedrive", "name": "renew-%d" % r, "sources": {"documents": drives}})["id"]
            call("PUT", base + "/api/tenant/integrations/%s/rate-limits" % integration, key, {"integration": lifted})
            connected = call("POST", base + "/api/tenant/integrations/%s/connect/api-key" % integration, key,
                             {"type": "oauth2_entra_client_credentials",
                              "credentials": {"authority": "https://localhost:%d/sandbox/entra/sandbox-tenant" % tls,
                                              "clientId": "sandbox-client", "clientSecret": "sandbox-secret",
                                              "graphUrl": "https://localhost:%d/v1.0" % tls}})
            if not connected["ok"]:
                sys.exit("connect failed: " + connected["message"])
            made = call("POST", base + "/api/tenant/integrations/%s/webhooks" % integration, key,
                        {"scheme": "microsoft_graph", "events": ["document.*"]})
            if made.get("providerRegistration") != "registered":
                sys.exit("subscription failed: %s" % made)
        before = subscriptions(base, token)
        total = a.registrations * a.drives
        if len(before) != total:
            sys.exit("expected %d subscriptions at the sandbox, found %d" % (total, len(before)))
        print("set up                 %d registrations x %d drives = %d Graph subscriptions in %.0f s"
              % (a.registrations, a.drives, total, time.time() - t0))
        graph(base, token, "POST", "/sandbox/graph/setup/latency", {"latencyMs": a.latency_ms})

        sweeps, seen = [], 0
        deadline = time.time() + 120 + a.sweeps * (40 + total * (a.latency_ms + 50) / 1000.0)
        while len(sweeps) < a.sweeps:
            if time.time() > deadline:
                sys.exit("only %d full sweeps seen; see %s" % (len(sweeps), hub_log))
            with open(hub_log, errors="replace") as log:
                lines = log.read().splitlines()
            for line in lines[seen:]:
                m = SWEEP.search(line)
                if m and int(m.group(2)) == a.registrations:
                    sweeps.append((int(m.group(1)), int(m.group(3))))
            seen = len(lines)
            time.sleep(1)
        graph(base, token, "POST", "/sandbox/graph/setup/latency", {"latencyMs": 0})
        after = subscriptions(base, token)
        kept = [s for s in before if s in after and after[s] > before[s]]
        for renewed, ms in sweeps:
            print("sweep                  %d of %d registrations (%d subscriptions) in %d ms = %.0f subscriptions per minute"
                  % (renewed, a.registrations, renewed * a.drives, ms, renewed * a.drives * 60000.0 / max(1, ms)))
        print("at the sandbox         %d of %d subscriptions the same ones, with later expiries (none re-created)"
              % (len(kept), total))
        print("Graph latency          %d ms a call; renewal concurrency as configured (hub.webhooks.renew-concurrency)" % a.latency_ms)
    finally:
        stop([hub], work, "/tmp/graph-renewals-hub.log", hub_log)


if __name__ == "__main__":
    main()
