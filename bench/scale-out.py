#!/usr/bin/env python3
"""Scale-out proof: three hub instances on one PostgreSQL schema and one standalone Artemis broker share a mixed
workload while one instance is killed, another paused, and the broker restarted; nothing is lost or done twice, and
three instances do the I/O-bound work at least twice as fast as one.

Starts (all from this checkout, nothing embedded in a hub):
  - PostgreSQL: the schema --schema of database test at 127.0.0.1:5432 (dropped and created again),
  - a standalone broker made and run by broker/artemis.sh (Artemis's own distribution),
  - a "provider" hub serving the Salesforce sandbox, every REST call delayed --latency-ms (the work waits on I/O),
    one org of --accounts accounts per tenant, and Outbound Messages to a counter in this script (each change the
    provider sees is one notification: writes are counted at the provider),
  - hub1..hub3: the postgres profile, one schema, one keyset file, native broker mode, sandbox off, outbound calls
    allowed to the provider only; Quartz's trigger history plugin logs each fire (trigger and scheduled time).

Phases:
  A. one instance (hub1): --tenants tenants each sync their Accounts (full) at once; records per second.
  B. hub2 and hub3 join: --tenants other tenants do the same; records per second; the ratio B/A must be >= 2.
  C. the tenants of B, with every instance at work: Contact syncs (full), write-back of Account phones (two tenants,
     bidirectional; PATCHes spread over the instances), webhook bursts (two tenants: accounts edited at the provider,
     one signed Standard Webhooks delivery per edit, posted to the instances in turn). Meanwhile hub3 gets SIGKILL,
     hub2 SIGSTOP for --pause seconds (then SIGCONT), and the broker is killed and started again on its journal.
Checks (the script exits 1 if one fails):
  - every source record has exactly one shard: per tenant and entity, shards = distinct external ids = the org's
    COUNT() at the provider;
  - no Quartz trigger fired twice: each (trigger, scheduled fire time) in the plugin's log lines of all instances once;
  - every acknowledged (2xx) webhook delivery was processed, and its edit reached the shard;
  - every acknowledged shard change reached the provider exactly once (the Outbound Message counter) and no other
    record was written;
  - the runs the killed and the paused instance held were resumed from their checkpoints by another instance;
  - throughput with three instances >= 2 x with one.
Prints a timeline of what each instance did (from their logs and this script's own actions) and the figures;
--json FILE writes them for tests (hub.ScaleOutIT).

  python3 bench/scale-out.py [--tenants 6] [--accounts 3000] [--latency-ms 1200] [--pause 30] [--schema hub_scaleout]

Needs: the jar (mvn -B -DskipTests package), PostgreSQL at 127.0.0.1:5432 (database test, user postgres, trust), psql,
unzip (broker/artemis.sh). Takes about 4 minutes.
"""
import argparse, base64, concurrent.futures, hashlib, hmac, json, os, re, shutil, signal, subprocess, sys, tempfile, threading, time
import urllib.error, urllib.parse, urllib.request
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from hubproc import ADMIN, JAR, ROOT, all_pages, all_shards, call, free_port, iso, salesforce_integration, start, wait_up  # noqa: E402

BROKER_USER, BROKER_PASSWORD = "hub", "scale-out-secret"
T0 = time.time()
EVENTS = []  # (epoch seconds, who, what)
LOCK = threading.Lock()


def event(who, what):
    with LOCK:
        EVENTS.append((time.time(), who, what))
    print("%7.1f s  %-8s %s" % (time.time() - T0, who, what), flush=True)


# ------------------------------------------------------------------ the provider's write counter (Outbound Messages)

NOTIFICATION = re.compile(r"<Notification>(.*?)</Notification>", re.S)
ACK = ('<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/">'
       '<soapenv:Body><notificationsResponse xmlns="http://soap.sforce.com/2005/09/outbound"><Ack>true</Ack>'
       '</notificationsResponse></soapenv:Body></soapenv:Envelope>').encode()


class WriteCounter(BaseHTTPRequestHandler):
    """Stands in for a system listening to Salesforce: each notification (by its id) is one change the org saw."""
    notifications = {}  # notification id -> (record id, phone)

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
        for block in NOTIFICATION.findall(body):
            nid = re.search(r"<Id>([^<]+)</Id>", block).group(1)
            rec = re.search(r"<sf:Id>([^<]+)</sf:Id>", block).group(1)
            phone = re.search(r"<sf:Phone>([^<]*)</sf:Phone>", block)
            with LOCK:
                WriteCounter.notifications[nid] = (rec, phone.group(1) if phone else None)
        self.send_response(200)
        self.send_header("Content-Type", "text/xml")
        self.send_header("Content-Length", str(len(ACK)))
        self.end_headers()
        self.wfile.write(ACK)

    def log_message(self, *args):
        pass


# ------------------------------------------------------------------ processes

class Broker:
    def __init__(self, work, port):
        self.dir, self.port, self.proc = os.path.join(work, "broker"), port, None
        self.log = open(os.path.join(work, "broker.log"), "a")
        env = dict(os.environ, HUB_ARTEMIS_USER=BROKER_USER, HUB_ARTEMIS_PASSWORD=BROKER_PASSWORD)
        subprocess.run(["bash", os.path.join(ROOT, "broker", "artemis.sh"), "create", self.dir, str(port)], check=True, env=env,
                       stdout=self.log, stderr=subprocess.STDOUT)

    def start(self):
        self.proc = subprocess.Popen(["bash", os.path.join(ROOT, "broker", "artemis.sh"), "run", self.dir], stdout=self.log,
                                     stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.time() + 120
        while time.time() < deadline:
            if self.proc.poll() is not None:
                sys.exit("the broker exited; see its log")
            try:
                import socket
                socket.create_connection(("127.0.0.1", self.port), 1).close()
                return
            except OSError:
                time.sleep(0.2)
        sys.exit("the broker did not listen within 120 s")

    def kill(self):
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait()

    def stop(self):
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)


class Hub:
    def __init__(self, name, work, args):
        self.name, self.work, self.args, self.port = name, work, args, free_port()
        self.url, self.proc, self.state = "http://localhost:%d" % self.port, None, "down"
        self.log = os.path.join(work, name + ".log")

    def start(self):
        self.proc, _ = start(self.name, self.port, self.args, "512m", self.work)
        event(self.name, "started (pid %d)" % self.proc.pid)

    def await_up(self):
        wait_up(self.port, self.proc, timeout=900)
        self.state = "up"
        event(self.name, "ready")

    def health(self):
        try:
            with urllib.request.urlopen(self.url + "/actuator/health", timeout=20) as r:
                return json.load(r)["status"]
        except urllib.error.HTTPError as e:
            return json.load(e).get("status", str(e.code))
        except Exception as e:  # noqa: BLE001 - no answer is an answer here
            return "no answer (%s)" % type(e).__name__


class HealthMonitor(threading.Thread):
    """Polls an instance's overall health twice a second and records each change."""

    def __init__(self, hub):
        super().__init__(daemon=True)
        self.hub, self.status, self.changes, self.stop = hub, "UP", [], False

    def run(self):
        while not self.stop:
            status = self.hub.health()
            if status != self.status:
                self.status = status
                self.changes.append((time.time(), status))
                event(self.hub.name, "health " + status)
            time.sleep(0.5)

    def first_not_up_after(self, t):
        return next((ts for ts, s in self.changes if ts >= t and s != "UP"), None)

    def first_up_after(self, t):
        return next((ts for ts, s in self.changes if ts >= t and s == "UP"), None)


def psql(sql, schema=None):
    cmd = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "test", "-v", "ON_ERROR_STOP=1", "-At", "-c", sql]
    env = dict(os.environ, PGOPTIONS="-c search_path=%s" % schema) if schema else None
    return subprocess.run(cmd, check=True, capture_output=True, text=True, env=env).stdout.strip()


# ------------------------------------------------------------------ the provider, as its users change it

class Org:
    def __init__(self, sandbox, name):
        self.sandbox, self.name = sandbox, name
        form = urllib.parse.urlencode({"grant_type": "password", "client_id": "sandbox-client", "client_secret": "sandbox-secret",
                                       "username": "admin+%s@sandbox.example" % name, "password": "sandbox"}).encode()
        with urllib.request.urlopen(urllib.request.Request(sandbox + "/services/oauth2/token", data=form), timeout=60) as r:
            self.token = json.load(r)["access_token"]

    def count(self, sobject):
        q = urllib.parse.quote("SELECT COUNT() FROM " + sobject)
        return call("GET", self.sandbox + "/services/data/v59.0/query?q=" + q, self.token)["totalSize"]

    def ids(self, sobject, n):
        q = urllib.parse.quote("SELECT Id FROM %s ORDER BY SystemModstamp ASC LIMIT %d" % (sobject, n))
        return [r["Id"] for r in call("GET", self.sandbox + "/services/data/v59.0/query?q=" + q, self.token)["records"]]

    def edit(self, sobject, record, fields):
        call("PATCH", self.sandbox + "/services/data/v59.0/sobjects/%s/%s" % (sobject, record), self.token, fields)


def sign(secret, msg_id, ts, body):
    key = base64.b64decode(secret[len("whsec_"):])
    return "v1," + base64.b64encode(hmac.new(key, ("%s.%d." % (msg_id, ts)).encode() + body, hashlib.sha256).digest()).decode()


def post_delivery(url, secret, msg_id, record_id):
    """Posts one signed delivery; its HTTP status, or None when the instance did not answer."""
    ts = int(time.time())
    body = json.dumps({"type": "company.updated", "data": {"id": record_id}}).encode()
    req = urllib.request.Request(url, data=body, method="POST", headers={"Content-Type": "application/json", "webhook-id": msg_id,
                                 "webhook-timestamp": str(ts), "webhook-signature": sign(secret, msg_id, ts, body)})
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status
    except urllib.error.HTTPError as e:
        return e.code
    except Exception:  # noqa: BLE001 - killed or paused instance: not acknowledged
        return None


# ------------------------------------------------------------------ the scenario

class Tenant:
    def __init__(self, tid, key, integration, org):
        self.id, self.key, self.integration, self.org = tid, key, integration, org
        self.executions = {}  # entity -> execution id


def new_tenant(base, sandbox, tid, org_name, settings):
    call("POST", base + "/api/admin/tenants", ADMIN, {"id": tid, "name": "Scale-out " + tid})
    key = call("POST", base + "/api/admin/tenants/%s/api-keys" % tid, ADMIN, {})["key"]
    integration = salesforce_integration(base, key, sandbox, settings, unpaced=True, username="admin+%s@sandbox.example" % org_name)
    return Tenant(tid, key, integration, Org(sandbox, org_name))


def start_run(base, t, entity):
    task = call("POST", base + "/api/tenant/integrations/%s/tasks" % t.integration, t.key, {"entity": entity, "mode": "full"})["id"]
    t.executions[entity] = call("POST", base + "/api/tenant/integrations/%s/tasks/%s/run" % (t.integration, task), t.key)["executionId"]


def execution(base, t, entity):
    return call("GET", base + "/api/tenant/integrations/%s/executions/%s" % (t.integration, t.executions[entity]), t.key)


def await_runs(live, tenants, entity, timeout):
    deadline = time.time() + timeout
    while True:
        base = live().url
        try:
            runs = [execution(base, t, entity) for t in tenants]
        except Exception:  # noqa: BLE001 - the instance asked went away meanwhile: ask another
            time.sleep(0.5)
            continue
        if all(e["status"] not in ("pending", "running") for e in runs):
            return runs
        if time.time() > deadline:
            sys.exit("runs of %s unfinished after %d s: %s" % (entity, timeout, [(e["id"], e["status"]) for e in runs]))
        time.sleep(0.5)


def throughput(base, tenants, entity, label):
    t0 = time.time()
    for t in tenants:
        start_run(base, t, entity)
    runs = await_runs(lambda: Hubs.any_up(), tenants, entity, 600)
    elapsed = time.time() - t0
    records = sum(e["recordsProcessed"] for e in runs)
    bad = [e for e in runs if e["status"] != "completed"]
    if bad:
        sys.exit("%s: runs not completed: %s" % (label, bad))
    event("script", "%s: %d %s records in %.1f s: %.0f records/s" % (label, records, entity, elapsed, records / elapsed))
    return records, elapsed


class Hubs:
    all = []

    @staticmethod
    def any_up():
        return next(h for h in Hubs.all if h.state == "up")

    @staticmethod
    def up():
        return [h for h in Hubs.all if h.state == "up"]


def write_back(tenants, per_tenant, seconds, results):
    """PATCHes `per_tenant` Account shards of each tenant with a phone of their own, spread over `seconds`, to the live
    instances in turn; a PATCH an instance did not answer goes to the next one with the same value."""
    shards = []
    for t in tenants:
        for s in all_shards(Hubs.any_up().url, t.key, "c_company")[:per_tenant]:
            shards.append((t, s["id"], s["externalRelationships"][0]["externalId"]))
    gap = seconds / max(1, len(shards))
    for i, (t, shard, record) in enumerate(shards):
        phone = "+1 555 %06d" % (i + 1)
        for attempt in range(6):
            hubs = Hubs.up()
            hub = hubs[(i + attempt) % len(hubs)]
            try:
                req = urllib.request.Request(hub.url + "/api/tenant/shards/" + shard, method="PATCH",
                                             data=json.dumps({"structuredData": {"phone": phone}}).encode(),
                                             headers={"Authorization": "Bearer " + t.key, "Content-Type": "application/json"})
                with urllib.request.urlopen(req, timeout=10) as r:
                    r.read()
                results["acknowledged"][record] = phone
                results["by"][hub.name] = results["by"].get(hub.name, 0) + 1
                break
            except Exception:  # noqa: BLE001 - no answer: the change may or may not be stored; send it again elsewhere
                time.sleep(0.2)
        time.sleep(gap)
    event("script", "write-back: %d shard changes acknowledged (%s)" % (len(results["acknowledged"]),
          ", ".join("%s %d" % kv for kv in sorted(results["by"].items()))))


def webhook_bursts(tenants, bursts, size, gap, results):
    """Per burst and tenant: `size` accounts edited at the provider, then one signed delivery per edit, to the live
    instances in turn; acknowledged = answered 2xx."""
    pool = concurrent.futures.ThreadPoolExecutor(16)
    for t in tenants:
        t.registration = call("POST", Hubs.any_up().url + "/api/tenant/integrations/%s/webhooks" % t.integration, t.key,
                              {"scheme": "standard_webhooks", "events": ["company.*"]})
        t.accounts = t.org.ids("Account", bursts * size)
    for b in range(bursts):
        for t in tenants:
            ids = t.accounts[b * size:(b + 1) * size]
            names = {r: "Burst %d %s" % (b, r) for r in ids}
            list(pool.map(lambda r: t.org.edit("Account", r, {"Name": names[r]}), ids))
            msgs = [("msg_%s_%d_%d" % (t.id, b, i), r, i) for i, r in enumerate(ids)]
            list(pool.map(lambda m: deliver(t, m, names, results), msgs))
        time.sleep(gap)
    pool.shutdown()
    event("script", "webhooks: %d deliveries acknowledged (%s), %d never; answers before an acknowledgement: %s" % (
          len(results["acknowledged"]), ", ".join("%s %d" % kv for kv in sorted(results["by"].items())), results["refused"],
          results["refusals"] or "none"))


def deliver(t, m, names, results):
    """One delivery as a provider sends it: again (same webhook-id) to the next live instance while it is not answered
    2xx, up to six attempts two seconds apart."""
    msg, record, i = m
    for attempt in range(6):
        hubs = Hubs.up()
        hub = hubs[(i + attempt) % len(hubs)]
        status = post_delivery(hub.url + "/webhooks/" + t.registration["id"], t.registration["secret"], msg, record)
        if status is not None and 200 <= status < 300:
            with LOCK:
                results["acknowledged"][msg] = (t, record, names[record])
                results["by"][hub.name] = results["by"].get(hub.name, 0) + 1
            return
        with LOCK:
            results["refusals"][str(status)] = results["refusals"].get(str(status), 0) + 1
        time.sleep(2)
    with LOCK:
        results["refused"] += 1


def queued_writes(base):
    return call("GET", base + "/actuator/metrics/hub.writeback.queued", ADMIN)["measurements"][0]["value"]


# ------------------------------------------------------------------ the instances' own account

LOG_TIME = re.compile(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d)?)")
STARTS = re.compile(r"Execution (\S+) starts the (\w+) pass of (\w+)")
RESUMES = re.compile(r"Execution (\S+) resumes the (\w+) pass of (\w+) from (.*)$")
ENDS = re.compile(r"Execution (\S+) (completed|failed|cancelled) (\w+): processed (\d+)")
LATER = re.compile(r"Execution (\S+) of \w+: a later delivery of the run holds its lease")
FIRED = re.compile(r"QUARTZ-FIRED (\S+) scheduled (\S+) job (\S+)")


def log_lines(hub):
    with open(hub.log, errors="replace") as f:
        for line in f:
            m = LOG_TIME.match(line)
            if m:
                text = m.group(1).replace("Z", "+00:00")
                try:
                    yield datetime.fromisoformat(text).timestamp(), line.rstrip()
                except ValueError:
                    continue


def holding(hub):
    """The runs the instance has started or resumed and not ended (from its log)."""
    held = set()
    for _, line in log_lines(hub):
        for pattern in (STARTS, RESUMES):
            m = pattern.search(line)
            if m:
                held.add(m.group(1))
        m = ENDS.search(line) or LATER.search(line)
        if m:
            held.discard(m.group(1))
    return held


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--tenants", type=int, default=6, help="tenants per phase (>= 6: write-back, webhooks and syncs only)")
    ap.add_argument("--accounts", type=int, default=3000, help="accounts per org (each has 2 contacts)")
    ap.add_argument("--latency-ms", type=int, default=1200,
                    help="delay of every provider REST call (long enough that the syncs wait on I/O, not on the 2 cores)")
    ap.add_argument("--pause", type=float, default=30, help="seconds hub2 is stopped (SIGSTOP) before SIGCONT")
    ap.add_argument("--writes", type=int, default=60, help="shard changes written back, per write-back tenant")
    ap.add_argument("--bursts", type=int, default=4, help="webhook bursts per webhook tenant")
    ap.add_argument("--burst-size", type=int, default=20)
    ap.add_argument("--schema", default="hub_scaleout")
    ap.add_argument("--json", help="write the figures and checks to this file")
    ap.add_argument("--keep", action="store_true", help="keep the work directory (logs)")
    a = ap.parse_args()
    if a.tenants < 6:
        sys.exit("--tenants must be at least 6")
    if not os.path.exists(JAR):
        sys.exit("build the jar first: mvn -B -DskipTests package")
    work = tempfile.mkdtemp(prefix="hub-scale-out-")
    print("work directory %s" % work)
    psql("DROP SCHEMA IF EXISTS %s CASCADE; CREATE SCHEMA %s" % (a.schema, a.schema))
    counter = ThreadingHTTPServer(("127.0.0.1", 0), WriteCounter)
    threading.Thread(target=counter.serve_forever, daemon=True).start()
    broker = Broker(work, free_port())
    provider = None
    try:
        broker.start()
        event("broker", "up on tcp://127.0.0.1:%d" % broker.port)
        provider_port = free_port()
        provider, _ = start("provider", provider_port, [
            "--hub.sandbox.salesforce.accounts=%d" % a.accounts, "--hub.sandbox.salesforce.latency-ms=%d" % a.latency_ms,
            "--hub.sandbox.salesforce.api-daily-limit=100000000", "--hub.sandbox.salesforce.max-orgs-per-client=50",
            "--hub.sandbox.salesforce.outbound-batch-window=0ms",
            "--hub.sandbox.salesforce.outbound-allowed-hosts=localhost:%d" % counter.server_address[1]], "768m", work)
        sandbox = "http://localhost:%d/sandbox/salesforce" % provider_port
        hub_args = ["--spring.profiles.active=postgres",
                    "--spring.datasource.url=jdbc:postgresql://127.0.0.1:5432/test?currentSchema=" + a.schema,
                    "--spring.flyway.schemas=" + a.schema, "--spring.flyway.default-schema=" + a.schema,
                    "--hub.crypto.keyset-file=" + os.path.join(work, "keyset.json"),
                    "--spring.artemis.mode=native", "--spring.artemis.broker-url=tcp://127.0.0.1:%d" % broker.port,
                    "--spring.artemis.user=" + BROKER_USER, "--spring.artemis.password=" + BROKER_PASSWORD,
                    "--hub.outbound.allowed-hosts=localhost:%d" % provider_port, "--hub.sync.page-size=200",
                    "--hub.scheduler.cron=0/2 * * * * ?",
                    # a delivery stored by an instance that died (or lost the broker) before queuing it is queued again by
                    # the webhook-recovery sweep once it is this old (5 minutes by default): sooner here, so the run is short
                    "--hub.webhooks.recover-after=30s",
                    # Quartz's own record of each fire, in every instance's log
                    "--spring.quartz.properties.org.quartz.plugin.triggerHistory.class=org.quartz.plugins.history.LoggingTriggerHistoryPlugin",
                    "--spring.quartz.properties.org.quartz.plugin.triggerHistory.triggerFiredMessage="
                    "QUARTZ-FIRED {1}.{0} scheduled {2,date,yyyy-MM-dd'T'HH:mm:ss.SSS} job {6}.{5}",
                    "--logging.level.org.quartz.plugins.history=INFO"]
        Hubs.all = [Hub("hub%d" % i, work, hub_args) for i in (1, 2, 3)]
        hub1, hub2, hub3 = Hubs.all
        hub1.start()
        wait_up(provider_port, provider, timeout=900)
        event("provider", "ready: Salesforce sandbox, %d accounts per org, %d ms a call" % (a.accounts, a.latency_ms))
        hub1.await_up()

        # A. one instance
        run_id = "%x" % int(time.time())
        one = [new_tenant(hub1.url, sandbox, "a%d" % i, "so%s-a%d" % (run_id, i), {}) for i in range(1, a.tenants + 1)]
        records1, elapsed1 = throughput(hub1.url, one, "Account", "one instance")

        # B. three instances
        hub2.start()
        hub3.start()
        hub2.await_up()
        hub3.await_up()
        three = []
        for i in range(1, a.tenants + 1):
            settings = {"syncDirection": "bidirectional"} if i <= 2 else {}
            three.append(new_tenant(Hubs.all[i % 3].url, sandbox, "b%d" % i, "so%s-b%d" % (run_id, i), settings))
        records3, elapsed3 = throughput(hub1.url, three, "Account", "three instances")
        speedup = (records3 / elapsed3) / (records1 / elapsed1)

        # C. mixed work under faults
        writers, hooked = three[:2], three[2:4]
        for t in writers:
            status = call("POST", sandbox + "/setup/outbound-messages", t.org.token, {"name": "phones", "object": "Account",
                          "endpointUrl": "http://localhost:%d/om" % counter.server_address[1], "fields": ["Id", "Phone"]})
        writes = {"acknowledged": {}, "by": {}}
        deliveries = {"acknowledged": {}, "by": {}, "refused": 0, "refusals": {}}
        event("script", "phase C: Contact syncs of %d tenants, write-back (%s), webhook bursts (%s)"
              % (len(three), ", ".join(t.id for t in writers), ", ".join(t.id for t in hooked)))
        for i, t in enumerate(three):
            start_run(Hubs.all[i % 3].url, t, "Contact")
        background = [threading.Thread(target=write_back, args=(writers, a.writes, a.pause + 20, writes)),
                      threading.Thread(target=webhook_bursts, args=(hooked, a.bursts, a.burst_size, (a.pause + 10) / a.bursts, deliveries))]
        for th in background:
            th.start()
        # the faults once the runs are under way, to instances that hold runs: the one holding more is killed
        contacts = 2 * a.accounts * len(three)
        waited = time.time()
        while (sum(execution(hub1.url, t, "Contact")["recordsProcessed"] for t in three) < contacts * 0.1
               or (time.time() - waited < 60 and not (holding(hub2) and holding(hub3)))):
            time.sleep(0.5)
        if len(holding(hub2)) > len(holding(hub3)):
            hub2, hub3 = hub3, hub2  # hub3 is the one killed, hub2 the one paused, whatever their names
        event("script", "runs held: %s %d, %s %d" % (hub3.name, len(holding(hub3)), hub2.name, len(holding(hub2))))
        health = HealthMonitor(hub1)
        health.start()
        hub3.proc.send_signal(signal.SIGKILL)
        hub3.proc.wait()
        hub3.state = "killed"
        killed_at = time.time()
        event(hub3.name, "SIGKILL")
        time.sleep(2)
        hub2.proc.send_signal(signal.SIGSTOP)
        hub2.state = "paused"
        paused_at = time.time()
        event(hub2.name, "SIGSTOP for %.0f s" % a.pause)
        resume = threading.Timer(a.pause, lambda: (hub2.proc.send_signal(signal.SIGCONT), setattr(hub2, "state", "up"),
                                                   event(hub2.name, "SIGCONT")))
        resume.start()
        time.sleep(min(5, a.pause / 4))
        broker.kill()
        broker_down_at = time.time()
        event("broker", "SIGKILL")
        while time.time() - broker_down_at < 20 and health.status == "UP":
            time.sleep(0.2)
        broker.start()
        event("broker", "started again on its journal")
        while time.time() - broker_down_at < 180 and health.status != "UP":
            time.sleep(0.2)
        resume.join()
        health.stop = True
        down = health.first_not_up_after(broker_down_at)
        up = health.first_up_after(down) if down else None
        for th in background:
            th.join()

        # everything done?
        runs = await_runs(lambda: hub1, three, "Contact", 600)
        deadline = time.time() + 300
        while True:
            pending = [m for m, (t, _, _) in deliveries["acknowledged"].items()]
            processed = {}
            for t in hooked:
                for d in all_pages(hub1.url + "/api/webhooks/deliveries?limit=1000&registrationId=" + t.registration["id"], t.key):
                    # a delivery sent again after an answer that never arrived is stored once more as a duplicate
                    if processed.get(d.get("deliveryKey")) != "processed":
                        processed[d.get("deliveryKey")] = d["status"]
            waiting = [m for m in pending if processed.get(m) != "processed"]
            queued = queued_writes(hub1.url)
            if not waiting and queued == 0:
                break
            if time.time() > deadline:
                break
            time.sleep(1)
        hook_runs = []
        deadline = time.time() + 120
        while time.time() < deadline:  # the runs the deliveries queued
            hook_runs = [e for t in hooked for e in call("GET", hub1.url + "/api/tenant/integrations/%s/executions?limit=100"
                                                        % t.integration, t.key)["items"] if e["trigger"] == "webhook"]
            if all(e["status"] not in ("pending", "running") for e in hook_runs):
                break
            time.sleep(1)
        time.sleep(3)  # notifications of the last writes are on their way
        event("script", "all work finished")

        # ---------------------------------------------------------------- checks
        checks, figures = {}, {}
        # 1. one shard per source record
        shard_problems = []
        shard_total = 0
        for t in one + three:
            entities = [("Account", "c_company")] + ([("Contact", "c_contact")] if t in three else [])
            for sobject, shard_type in entities:
                shards = all_shards(hub1.url, t.key, shard_type)
                externals = {s["externalRelationships"][0]["externalId"] for s in shards if s["externalRelationships"]}
                source = t.org.count(sobject)
                shard_total += len(shards)
                if not (len(shards) == len(externals) == source):
                    shard_problems.append("%s %s: %d shards, %d external ids, %d at the provider" % (t.id, sobject, len(shards), len(externals), source))
        duplicates = int(psql("SELECT count(*) FROM (SELECT shard_id FROM shard_external_relationships GROUP BY shard_id "
                              "HAVING count(*) > 1) d", a.schema))
        checks["one shard per source record"] = (not shard_problems and duplicates == 0,
                                                 "%d shards checked; %s" % (shard_total, "; ".join(shard_problems) or "all match the provider's counts"))
        # 2. Quartz: each (trigger, scheduled time) fired once
        fires, per_instance = {}, {}
        for hub in Hubs.all:
            for ts, line in log_lines(hub):
                m = FIRED.search(line)
                if m and not m.group(1).startswith("RECOVERING_JOBS"):
                    fires.setdefault((m.group(1), m.group(2)), []).append(hub.name)
                    per_instance[hub.name] = per_instance.get(hub.name, 0) + 1
        twice = {k: v for k, v in fires.items() if len(v) > 1}
        checks["no trigger fired twice"] = (bool(fires) and not twice, "%d fires (%s), %d twice%s" % (
            len(fires), ", ".join("%s %d" % kv for kv in sorted(per_instance.items())), len(twice),
            (": " + str(list(twice.items())[:5])) if twice else ""))
        # 3. webhooks
        lost = [m for m in deliveries["acknowledged"] if processed.get(m) != "processed"]
        stale = []
        for t in hooked:
            by_record = {s["externalRelationships"][0]["externalId"]: s for s in all_shards(hub1.url, t.key, "c_company")}
            for m, (tt, record, name) in deliveries["acknowledged"].items():
                if tt is t and by_record[record]["structuredData"].get("name") != name:
                    stale.append(record)
        checks["every acknowledged webhook delivery processed"] = (not lost and not stale and len(deliveries["acknowledged"]) > 0,
            "%d acknowledged, %d not processed, %d edits not in their shard" % (len(deliveries["acknowledged"]), len(lost), len(stale)))
        # 4. write-back exactly once, counted at the provider
        with LOCK:
            notes = list(WriteCounter.notifications.values())
        per_record = {}
        for record, phone in notes:
            per_record.setdefault(record, []).append(phone)
        missing = [r for r, p in writes["acknowledged"].items() if per_record.get(r, []).count(p) == 0]
        doubled = [r for r, p in writes["acknowledged"].items() if len(per_record.get(r, [])) > 1]
        stray = [r for r in per_record if r not in writes["acknowledged"]]
        checks["every shard change reached the provider exactly once"] = (not missing and not doubled and not stray and writes["acknowledged"],
            "%d acknowledged, %d notifications at the provider; %d missing, %d written more than once, %d records written that were not changed"
            % (len(writes["acknowledged"]), len(notes), len(missing), len(doubled), len(stray)))
        # 5. runs of the killed and the paused instance resumed from their checkpoints elsewhere
        took, resumed, ended = {}, {}, {}
        for hub in Hubs.all:
            for ts, line in log_lines(hub):
                for pattern, into in ((STARTS, took), (RESUMES, resumed), (ENDS, ended)):
                    m = pattern.search(line)
                    if m:
                        into.setdefault(m.group(1), []).append((ts, hub.name, m.groups()))
        names = {t.executions.get(e): "%s %s" % (t.id, e) for t in one + three for e in ("Account", "Contact")}

        def label(ex):
            return names.get(ex, "run " + ex)

        interrupted = {}
        for ex, starts in took.items():
            for ts, name, _ in starts + resumed.get(ex, []):
                cut = killed_at if name == hub3.name else paused_at if name == hub2.name else None
                if cut and ts < cut and not any(e_ts < cut and e_name == name for e_ts, e_name, _ in ended.get(ex, [])):
                    interrupted[ex] = (name, cut)
        resumed_ok, failover = [], []
        for ex, (name, cut) in interrupted.items():
            later = [(ts, n, g) for ts, n, g in resumed.get(ex, []) if ts > cut and n != name]
            if not later and name == hub2.name:
                # the paused instance may finish a run itself when nobody took it over meanwhile
                later = [(ts, n, ("", "", "", "its own checkpoint, after SIGCONT")) for ts, n, g in ended.get(ex, []) if ts > cut and n == name]
            # "from null": the run had committed no page before it was cut off, so its checkpoint is the pass's start
            if later:
                resumed_ok.append(ex)
                failover.append((later[0][0] - cut, name, ex))
        completed_twice = [ex for ex, ends in ended.items() if len({n for _, n, g in ends if g[1] == "completed"}) > 1]
        all_completed = all(e["status"] == "completed" for e in runs)
        checks["interrupted runs resumed from their checkpoints"] = (
            bool(interrupted) and len(resumed_ok) == len(interrupted) and all_completed and not completed_twice,
            "%d runs interrupted (%s), %d resumed from a checkpoint on another instance, Contact runs %s%s" % (
                len(interrupted), ", ".join("%s on %s" % (label(ex), n) for ex, (n, _) in interrupted.items()), len(resumed_ok),
                "all completed" if all_completed else str([(e["id"], e["status"]) for e in runs]),
                "; completed on two instances: %s" % completed_twice if completed_twice else ""))
        went_down = [s for ts, s in health.changes if down and ts == down]
        checks["broker restart: health DOWN, then UP"] = (went_down == ["DOWN"] and up is not None,
            "hub1's health after the broker's SIGKILL: %s" % ([(round(ts - broker_down_at, 1), s) for ts, s in health.changes] or "no change"))
        checks["three instances >= 2x one"] = (speedup >= 2, "%.0f records/s with one, %.0f with three: %.2fx"
                                               % (records1 / elapsed1, records3 / elapsed3, speedup))

        # ---------------------------------------------------------------- timeline and figures
        timeline = list(EVENTS)
        for hub in Hubs.all:
            for ts, line in log_lines(hub):
                for pattern, verb in ((STARTS, "starts"), (RESUMES, "resumes"), (ENDS, "ends")):
                    m = pattern.search(line)
                    if m:
                        what = names.get(m.group(1), "run " + m.group(1)[:8])
                        detail = ("from checkpoint " + m.group(4)[:40]) if verb == "resumes" else (
                            "%s, %s records" % (m.group(2), m.group(4)) if verb == "ends" else "")
                        timeline.append((ts, hub.name, "%s %s %s" % (verb, what, detail)))
        print("\nTimeline (seconds from the script's start; instance lines from their logs)")
        for ts, who, what in sorted(timeline):
            print("%7.1f  %-8s %s" % (ts - T0, who, what))
        fail_over = min(failover)[0] if failover else None
        figures = {
            "records synced": sum(e["recordsProcessed"] for e in runs) + records1 + records3,
            "shards checked": shard_total,
            "webhook deliveries acknowledged": len(deliveries["acknowledged"]),
            "webhook deliveries lost": len(lost),
            "shard writes acknowledged": len(writes["acknowledged"]),
            "provider writes counted": len(notes),
            "writes lost": len(missing), "writes duplicated": len(doubled),
            "trigger fires": len(fires), "trigger fires twice": len(twice),
            "runs interrupted": len(interrupted), "runs resumed from checkpoint": len(resumed_ok),
            "failover seconds (kill or pause to the first resume elsewhere)": None if fail_over is None else round(fail_over, 1),
            "failover seconds per interrupted run": sorted((round(s, 1), n) for s, n, _ in failover),
            "broker restart: hub1 health not UP after s": None if down is None else round(down - broker_down_at, 1),
            "broker restart: hub1 health UP again after s (from the kill)": None if up is None else round(up - broker_down_at, 1),
            "hub1 health changes": [(round(ts - broker_down_at, 1), s) for ts, s in health.changes],
            "records/s one instance": round(records1 / elapsed1), "records/s three instances": round(records3 / elapsed3),
            "speedup": round(speedup, 2),
        }
        print("\nFigures")
        for k, v in figures.items():
            print("  %-62s %s" % (k, v))
        print("\nChecks")
        for k, (ok, detail) in checks.items():
            print("  %-4s %-52s %s" % ("ok" if ok else "FAIL", k, detail))
        if a.json:
            with open(a.json, "w") as f:
                json.dump({"figures": figures, "checks": {k: {"ok": bool(ok), "detail": d} for k, (ok, d) in checks.items()}}, f, indent=2)
        return 0 if all(ok for ok, _ in checks.values()) else 1
    finally:
        for hub in Hubs.all:
            if hub.proc and hub.proc.poll() is None:
                hub.proc.send_signal(signal.SIGCONT)
                hub.proc.terminate()
        for hub in Hubs.all:
            if hub.proc:
                try:
                    hub.proc.wait(30)
                except subprocess.TimeoutExpired:
                    hub.proc.kill()
        if provider:
            provider.terminate()
            try:
                provider.wait(30)
            except subprocess.TimeoutExpired:
                provider.kill()
        broker.stop()
        counter.shutdown()
        if a.keep:
            print("logs kept in %s" % work)
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
