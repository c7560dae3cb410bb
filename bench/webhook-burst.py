#!/usr/bin/env python3
"""Webhook burst at Salesforce's default limit: how fast a burst of change deliveries drains, how many sync runs it
makes, and how much CPU the hub spends meanwhile (the work that waits must wait, not spin).

Starts the hub (embedded default, Salesforce sandbox on) from target/castiel-integration-hub.jar, syncs the sandbox's
accounts once, edits --deliveries accounts in the sandbox, and posts one signed Standard Webhooks delivery per edit
(company.updated) spread over --seconds, while (with --contend, the default) a full Contact sync of the same
integration draws on the same budget of 300 calls a minute. Prints the drain time (first delivery to the last run
finished), the runs per entity, re-queues of waiting runs, and the hub process's CPU seconds while draining
(/proc/<pid>/stat).

  python3 bench/webhook-burst.py [--deliveries 300] [--seconds 10] [--no-contend] [--rounds 2]

The first round runs on a fresh JVM, whose JIT compilers take most of the CPU it shows; the later rounds show the
hub's own cost.

Build the jar first: mvn -B -DskipTests package
"""
import argparse, base64, concurrent.futures, hashlib, hmac, json, os, sys, tempfile, time, urllib.error, urllib.parse, urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from hubproc import ADMIN, bench_tenant, call, cpu_seconds, free_port, run_and_wait, salesforce_integration, start, stop, wait_up  # noqa: E402


def sign(secret, msg_id, ts, body):
    key = base64.b64decode(secret[len("whsec_"):])
    return "v1," + base64.b64encode(hmac.new(key, ("%s.%d." % (msg_id, ts)).encode() + body, hashlib.sha256).digest()).decode()


def post_delivery(url, secret, i, record_id):
    msg_id, ts = "msg_burst_%s" % i, int(time.time())
    body = json.dumps({"type": "company.updated", "data": {"id": record_id}}).encode()
    req = urllib.request.Request(url, data=body, method="POST", headers={"Content-Type": "application/json",
                                 "webhook-id": msg_id, "webhook-timestamp": str(ts), "webhook-signature": sign(secret, msg_id, ts, body)})
    with urllib.request.urlopen(req, timeout=60) as r:
        return r.status


def sandbox_token(sandbox):
    form = urllib.parse.urlencode({"grant_type": "password", "client_id": "sandbox-client", "client_secret": "sandbox-secret",
                                   "username": "admin@sandbox.example", "password": "sandbox"}).encode()
    with urllib.request.urlopen(urllib.request.Request(sandbox + "/services/oauth2/token", data=form), timeout=60) as r:
        return json.loads(r.read())["access_token"]


def requeued(base):
    try:
        m = call("GET", base + "/actuator/metrics/hub.ratelimit.requeued", ADMIN)
        return int(m["measurements"][0]["value"])
    except urllib.error.HTTPError as e:
        return 0 if e.code == 404 else None  # 404: no run has been re-queued yet


def burst(rnd, rounds, a, pid, base, key, integration, sandbox, token, ids, registration, task):
    """One burst: edit the accounts, post one signed delivery per edit, wait until every run is done; prints the figures."""
    label = "Burst %d " % rnd
    url = base + "/webhooks/" + registration["id"]
    for record_id in ids:
        call("PATCH", sandbox + "/services/data/v59.0/sobjects/Account/" + record_id, token, {"Name": label + record_id})
    time.sleep(1)
    before = {e["id"] for e in call("GET", base + "/api/tenant/integrations/%s/executions?limit=100" % integration, key)["items"]}
    requeued_before = requeued(base)
    if a.contend:
        call("POST", base + "/api/tenant/integrations/%s/tasks/%s/run" % (integration, task), key)
    cpu_start, t0 = cpu_seconds(pid), time.time()
    gap = a.seconds / max(1, len(ids))
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        futures = []
        for i, record_id in enumerate(ids):
            futures.append(pool.submit(post_delivery, url, registration["secret"], "%d_%d" % (rnd, i), record_id))
            time.sleep(gap)
        statuses = [f.result() for f in futures]
    accepted = sum(1 for s in statuses if 200 <= s < 300)
    posted = time.time() - t0
    cpu_posted = cpu_seconds(pid)
    while True:
        runs = [e for e in call("GET", base + "/api/tenant/integrations/%s/executions?limit=100" % integration, key)["items"]
                if e["id"] not in before]
        processed = len(call("GET", base + "/api/webhooks/deliveries?limit=1000&status=processed&registrationId="
                             + registration["id"], key)["items"])
        if processed >= accepted and runs and all(e["status"] not in ("pending", "running") for e in runs):
            break
        if time.time() - t0 > a.timeout:
            sys.exit("not drained after %d s: %d/%d deliveries processed" % (a.timeout, processed, accepted))
        time.sleep(0.5)
    drained, cpu_end = time.time() - t0, cpu_seconds(pid)
    cpu, cpu_tail = cpu_end - cpu_start, cpu_end - cpu_posted
    shards = []
    cursor = None
    while True:
        page = call("GET", base + "/api/tenant/shards?type=c_company&limit=1000" + ("&cursor=" + cursor if cursor else ""), key)
        shards += page["items"]
        cursor = page.get("nextCursor")
        if not cursor:
            break
    synced = sum(1 for s in shards if s["structuredData"].get("name", "").startswith(label))
    per_entity = {}
    for e in runs:
        per_entity.setdefault(e["entity"], []).append("%s/%s" % (e["trigger"], e["status"]))
    after = requeued(base)
    print("round %d%s:" % (rnd, " (warm-up: a fresh JVM compiles its hot code meanwhile)" if rnd == 1 and rounds > 1 else ""))
    print("deliveries accepted %d (posted over %.1f s), edits synced %d/%d" % (accepted, posted, synced, len(ids)))
    print("drain time %.1f s; hub CPU while draining %.1f s (%.0f %% of one core); after the last delivery %.1f s of CPU in %.1f s"
          % (drained, cpu, 100 * cpu / drained, cpu_tail, drained - posted))
    print("runs per entity: " + ", ".join("%s %d (%s)" % (k, len(v), " ".join(v)) for k, v in sorted(per_entity.items())))
    if after is not None and requeued_before is not None:
        print("re-queues of waiting runs: %d" % (after - requeued_before))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--deliveries", type=int, default=300)
    ap.add_argument("--seconds", type=float, default=10, help="the deliveries are spread over this long")
    ap.add_argument("--no-contend", dest="contend", action="store_false", help="no concurrent Contact sync")
    ap.add_argument("--timeout", type=int, default=600)
    ap.add_argument("--rounds", type=int, default=2, help="bursts in a row on one hub; the first warms the JVM up")
    ap.add_argument("--hub-arg", action="append", default=[])
    a = ap.parse_args()

    work = tempfile.mkdtemp(prefix="bench-burst-")
    port = free_port()
    hub, log = start("hub", port, ["--hub.sync.page-size=200"] + a.hub_arg, "512m", work)
    base = "http://localhost:%d" % port
    try:
        wait_up(port, hub)
        key = bench_tenant(base)
        sandbox = base + "/sandbox/salesforce"
        integration = salesforce_integration(base, key, sandbox)  # the catalog's 300 calls/min
        first = run_and_wait(base, key, integration, "Account")
        print("initial Account sync: %s, %d records" % (first["status"], first["recordsProcessed"]))
        token = sandbox_token(sandbox)
        q = urllib.parse.quote("SELECT Id FROM Account ORDER BY SystemModstamp ASC LIMIT %d" % a.deliveries)
        ids = [r["Id"] for r in call("GET", sandbox + "/services/data/v59.0/query?q=" + q, token)["records"]]
        registration = call("POST", base + "/api/tenant/integrations/%s/webhooks" % integration, key,
                            {"scheme": "standard_webhooks", "events": ["company.*"]})
        task = None
        if a.contend:
            task = call("POST", base + "/api/tenant/integrations/%s/tasks" % integration, key, {"entity": "Contact", "mode": "full"})["id"]
        for rnd in range(1, a.rounds + 1):
            burst(rnd, a.rounds, a, hub.pid, base, key, integration, sandbox, token, ids, registration, task)
    finally:
        stop([hub], work, os.path.join(os.getcwd(), "bench-webhook-burst.log"), log)


if __name__ == "__main__":
    main()
