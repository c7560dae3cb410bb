#!/usr/bin/env python3
"""The admin console's speed with 10,000 sync executions stored: first-byte times of its pages, the weight of its
JavaScript and CSS, and the delay of a live update (a state change in the database to the server-sent event).

Starts the hub from target/castiel-integration-hub.jar (embedded default: H2, embedded Artemis, sandboxes), makes the
tenant "bench" with a Salesforce integration on the hub's own sandbox and one task, stops it, writes N executions
(default 10,000, spread over 30 days, with every status) and 2,000 events straight into its H2 file (H2's RunScript
tool from the local Maven repository), starts it again, signs in to the console with the tenant key (session cookie,
CSRF token) and:
  - times the first byte of each page (dashboard, execution table unfiltered and filtered, an execution, conflicts)
    over --requests requests after 20 to warm up: p50, p95, max;
  - sums the console's JavaScript and CSS as served and gzip-compressed (-9);
  - opens the live stream (/console/live), cancels one of the queued executions through the REST API --changes times,
    and measures from the cancel's answer to the event that shows it cancelled: p50, p95, max.

  python3 bench/console.py [--executions 10000] [--requests 200] [--changes 20]

Standard library only. Build the jar first: mvn -B -DskipTests package
"""
import argparse, glob, gzip, http.cookiejar, os, re, statistics, subprocess, sys, tempfile, threading, time, urllib.parse, urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from hubproc import ADMIN, ROOT, bench_tenant, call, free_port, salesforce_integration, start, stop, wait_up  # noqa: E402

STATUSES = ["completed", "completed", "completed", "partial", "failed", "cancelled"]


def h2_jar():
    jars = sorted(glob.glob(os.path.expanduser("~/.m2/repository/com/h2database/h2/*/h2-*.jar")))
    if not jars:
        sys.exit("no H2 jar in ~/.m2 (build the hub first)")
    return jars[-1]


def seed(work, tenant, integration, task, n, queued):
    """N executions and 2,000 events of the tenant, written into the stopped hub's H2 file; `queued` of them pending."""
    script = os.path.join(work, "seed.sql")
    statuses = ", ".join("'%s'" % s for s in STATUSES)
    with open(script, "w") as f:
        f.write("""
INSERT INTO sync_executions (id, tenant_id, integration_id, task_id, entity, mode, sync_trigger, status, phase,
  records_processed, records_created, records_updated, records_unchanged, records_deleted, records_failed, more_pending,
  error, created_at, started_at, finished_at, duration_ms)
SELECT 'bench-' || X, '{t}', '{i}', '{task}', CASE MOD(X, 3) WHEN 0 THEN 'Contact' WHEN 1 THEN 'Account' ELSE 'Opportunity' END,
  CASE MOD(X, 4) WHEN 0 THEN 'full' ELSE 'incremental' END, CASE MOD(X, 5) WHEN 0 THEN 'manual' WHEN 1 THEN 'webhook' ELSE 'scheduled' END,
  CASE WHEN X <= {q} THEN 'pending' ELSE ARRAY[{s}][MOD(X, 6) + 1] END, CASE WHEN X <= {q} THEN 'queued' ELSE 'completed' END,
  MOD(X * 37, 5000), MOD(X * 37, 5000), 0, 0, 0, CASE MOD(X, 6) WHEN 4 THEN 3 ELSE 0 END, FALSE, NULL,
  DATEADD('SECOND', -X * 259, CURRENT_TIMESTAMP), DATEADD('SECOND', -X * 259 + 1, CURRENT_TIMESTAMP),
  CASE WHEN X <= {q} THEN NULL ELSE DATEADD('SECOND', -X * 259 + 40, CURRENT_TIMESTAMP) END, CASE WHEN X <= {q} THEN NULL ELSE 39000 END
FROM SYSTEM_RANGE(1, {n});
INSERT INTO events (id, tenant_id, event_type, subject, occurred_at, data, relayed_at)
SELECT 'bench-event-' || X, '{t}', 'sync.completed', 'bench-' || X, DATEADD('SECOND', -X * 259, CURRENT_TIMESTAMP), '{{}}', CURRENT_TIMESTAMP
FROM SYSTEM_RANGE(1, 2000);
""".format(t=tenant, i=integration, task=task, n=n, q=queued, s=statuses))
    url = "jdbc:h2:file:%s/hub/db/hub" % work
    subprocess.run(["java", "-cp", h2_jar(), "org.h2.tools.RunScript", "-url", url, "-user", "sa", "-script", script], check=True)


class Console:
    """A signed-in browser: cookies kept, the page's CSRF token at hand."""

    def __init__(self, base, key):
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        page = self.opener.open(base + "/console/login").read().decode()
        csrf = re.search(r'name="_csrf" value="([^"]+)"', page).group(1)
        form = urllib.parse.urlencode({"key": key, "_csrf": csrf}).encode()
        self.opener.open(base + "/console/login", data=form).read()

    def first_byte(self, path):
        t0 = time.perf_counter()
        r = self.opener.open(self.base + path)
        r.read(1)
        elapsed = time.perf_counter() - t0
        r.read()
        if r.status != 200:
            sys.exit("%s answered %d" % (path, r.status))
        return elapsed * 1000


def percentiles(samples):
    s = sorted(samples)
    return s[len(s) // 2], s[min(len(s) - 1, int(len(s) * 0.95))], s[-1]


def weight(base):
    total_raw = total_gz = 0
    rows = []
    for path in ["/console/vendor/htmx-2.0.4.min.js", "/console/vendor/htmx-ext-sse-2.2.2.js", "/console/vendor/uplot-1.6.31.min.js",
                 "/console/assets/console.js", "/console/vendor/uplot-1.6.31.min.css", "/console/assets/console.css"]:
        body = urllib.request.urlopen(base + path).read()
        gz = len(gzip.compress(body, 9))
        rows.append((path, len(body), gz))
        total_raw += len(body)
        total_gz += gz
    return rows, total_raw, total_gz


def live_delays(console, base, key, integration, ids):
    """Cancels each queued execution in turn; the time from the cancel's answer to its 'cancelled' row on the stream."""
    seen = {}
    ready = threading.Event()

    def listen():
        stream = console.opener.open(base + "/console/live", timeout=600)
        ready.set()
        event = None
        for raw in stream:
            line = raw.decode().rstrip("\n")
            if line.startswith("event:"):
                event = line[6:].strip()
            elif line.startswith("data:") and event and event.startswith("row-") and "status-cancelled" in line:
                seen.setdefault(event[4:], time.perf_counter())
    threading.Thread(target=listen, daemon=True).start()
    ready.wait(30)
    time.sleep(2)  # the stream has sent the queued rows once
    delays = []
    for execution in ids:
        call("POST", base + "/api/tenant/integrations/%s/executions/%s/cancel" % (integration, execution), key)
        answered = time.perf_counter()
        deadline = answered + 10
        while execution not in seen and time.perf_counter() < deadline:
            time.sleep(0.005)
        if execution not in seen:
            sys.exit("no live update for " + execution)
        delays.append((seen[execution] - answered) * 1000)
    return delays


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--executions", type=int, default=10000)
    ap.add_argument("--requests", type=int, default=200)
    ap.add_argument("--changes", type=int, default=20)
    ap.add_argument("--heap", default="1g")
    a = ap.parse_args()
    work = tempfile.mkdtemp(prefix="console-bench-")
    port = free_port()
    base = "http://localhost:%d" % port
    args = ["--hub.console.live-interval=500ms"]
    hub, _ = start("hub", port, args, a.heap, work)
    wait_up(port, hub)
    key = bench_tenant(base)
    integration = salesforce_integration(base, key, base + "/sandbox/salesforce")
    task = call("POST", base + "/api/tenant/integrations/%s/tasks" % integration, key, {"entity": "Contact", "mode": "full"})["id"]
    hub.terminate()
    hub.wait(60)
    seed(work, "bench", integration, task, a.executions, a.changes)
    hub, _ = start("hub", port, args, a.heap, work)
    try:
        wait_up(port, hub)
        console = Console(base, key)
        pages = [("dashboard", "/console"), ("executions", "/console/executions"),
                 ("executions failed, Contact", "/console/executions?status=failed&entity=Contact"),
                 ("executions 7 days, integration", "/console/executions?integrationId=%s&from=%s" % (
                     integration, time.strftime("%Y-%m-%d", time.gmtime(time.time() - 7 * 86400)))),
                 ("execution", "/console/integrations/%s/executions/bench-%d" % (integration, a.executions // 2)),
                 ("conflicts", "/console/conflicts")]
        print("%d executions stored, %d requests a page after 20 to warm up (first byte, ms)" % (a.executions, a.requests))
        print("%-34s %8s %8s %8s" % ("page", "p50", "p95", "max"))
        for name, path in pages:
            for _ in range(20):
                console.first_byte(path)
            p50, p95, mx = percentiles([console.first_byte(path) for _ in range(a.requests)])
            print("%-34s %8.1f %8.1f %8.1f" % (name, p50, p95, mx))
        rows, raw, gz = weight(base)
        print("\nJavaScript and CSS as served (bytes, gzip -9)")
        for path, size, packed in rows:
            print("%-42s %8d %8d" % (path, size, packed))
        print("%-42s %8d %8d" % ("total", raw, gz))
        delays = live_delays(console, base, key, integration, ["bench-%d" % i for i in range(1, a.changes + 1)])
        p50, p95, mx = percentiles(delays)
        print("\nlive update, cancel answered -> row on the stream (ms, %d changes, live-interval 500ms): p50 %.0f, p95 %.0f, max %.0f"
              % (len(delays), p50, p95, mx))
    finally:
        stop([hub], work)


if __name__ == "__main__":
    main()
