"""Starting and talking to hub processes for the benchmarks (standard library only)."""
import json, os, shutil, signal, socket, subprocess, sys, time, urllib.parse, urllib.request
from datetime import datetime

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# HUB_JAR: another build to measure (a copy, so that rebuilding target/ cannot pull the jar from under a running hub)
JAR = os.environ.get("HUB_JAR", os.path.join(ROOT, "target", "castiel-integration-hub.jar"))
ADMIN = "bench-admin-key"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def call(method, url, key=None, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method=method)
    if key:
        req.add_header("Authorization", "Bearer " + key)
    if data is not None:
        req.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(req, timeout=60) as r:
        text = r.read().decode()
        return json.loads(text) if text else None


def start(name, port, args, heap, workdir):
    log = open(os.path.join(workdir, name + ".log"), "w")
    extra = os.environ.get("HUB_JAVA_OPTS", "").split() if name == "hub" else []
    cmd = ["java", "-Xmx" + heap] + extra + ["-jar", JAR, "--hub.data-dir=" + os.path.join(workdir, name),
           "--server.port=%d" % port, "--hub.admin-api-key=" + ADMIN] + args
    return subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT), log.name


def cpu_seconds(pid, task=None):
    """Processor time (user + system) a process, or one of its threads, has used so far: from /proc on Linux. On 2 shared
    cores a rate moves with whatever else runs, processor time much less."""
    with open("/proc/%d/stat" % pid if task is None else "/proc/%d/task/%s/stat" % (pid, task)) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime (fields 14 and 15 of stat)


def jit_cpu_seconds(pid):
    """The part of a JVM's processor time its JIT compiler threads have used so far."""
    used = 0.0
    for task in os.listdir("/proc/%d/task" % pid):
        try:
            with open("/proc/%d/task/%s/comm" % (pid, task)) as f:
                if f.read().startswith(("C1 Compiler", "C2 Compiler")):
                    used += cpu_seconds(pid, task)
        except OSError:
            pass  # the thread ended
    return used


def wait_up(port, proc, timeout=180):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            sys.exit("hub on port %d exited early" % port)
        try:
            if call("GET", "http://localhost:%d/actuator/health/readiness" % port)["status"] == "UP":
                return
        except Exception:
            time.sleep(0.5)
    sys.exit("hub on port %d did not come up" % port)




def provider_and_hub(work, provider_args, provider_heap, hub_heap):
    """Starts a "provider" hub serving the sandboxes (with `provider_args`) and the measured hub (sandbox off, allowed
    to call the provider) and waits until both are up; returns ([hub, provider], provider URL, hub URL)."""
    provider_port, hub_port = free_port(), free_port()
    provider, _ = start("provider", provider_port, provider_args, provider_heap, work)
    hub, _ = start("hub", hub_port, ["--hub.sandbox.enabled=false", "--hub.outbound.allowed-hosts=localhost:%d" % provider_port],
                   hub_heap, work)
    try:
        wait_up(provider_port, provider, timeout=600)
        wait_up(hub_port, hub, timeout=600)
    except BaseException:
        stop([hub, provider], work)
        raise
    return [hub, provider], "http://localhost:%d" % provider_port, "http://localhost:%d" % hub_port


def form_token(url, form):
    """The access token a form-encoded OAuth token request answers with (a sandbox's password or client grant)."""
    request = urllib.request.Request(url, data=urllib.parse.urlencode(form).encode(), method="POST",
                                     headers={"Content-Type": "application/x-www-form-urlencoded"})
    with urllib.request.urlopen(request) as response:
        return json.load(response)


def all_shards(base, key, shard_type):
    """Every shard of the type (deleted ones too), through the paged list."""
    return all_pages(base + "/api/tenant/shards?limit=1000&type=" + shard_type, key)


def all_pages(url, key):
    """Every item of a paged tenant list (items, nextCursor) from `url` (which has a query already)."""
    items, cursor = [], None
    while True:
        page = call("GET", url + ("" if cursor is None else "&cursor=" + cursor), key)
        items.extend(page["items"])
        cursor = page["nextCursor"]
        if cursor is None:
            return items


def iso(text):
    """An ISO-8601 instant from the hub's JSON as epoch seconds."""
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def percentile(values, p):
    """The p-th percentile of the values (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100.0 * (len(ordered) - 1))))]


def bench_tenant(base):
    """Creates the tenant "bench"; returns an API key of it."""
    call("POST", base + "/api/admin/tenants", ADMIN, {"id": "bench", "name": "Bench"})
    return call("POST", base + "/api/admin/tenants/bench/api-keys", ADMIN, {})["key"]


def salesforce_integration(base, key, sandbox, settings=None, unpaced=False, username="admin@sandbox.example"):
    """A Salesforce integration connected to the sandbox at `sandbox` (the default org, or the named org of
    admin+<name>@sandbox.example); with unpaced, the integration's and the tenant's rate limits are lifted far above
    what the benchmark makes (the hub paces Salesforce at its catalog default, 300 calls/min: a benchmark of another
    path must not measure that)."""
    body = {"providerId": "salesforce", "name": "bench"}
    body.update(settings or {})
    integration = call("POST", base + "/api/tenant/integrations", key, body)["id"]
    if unpaced:
        lifted = {"requests": 60000, "windowSeconds": 60}
        call("PUT", base + "/api/tenant/integrations/%s/rate-limits" % integration, key, {"integration": lifted})
        call("PUT", base + "/api/tenant/rate-limits", key, {"tenant": lifted})
    connected = call("POST", base + "/api/tenant/integrations/%s/connect/api-key" % integration, key, {"credentials": {
        "clientId": "sandbox-client", "clientSecret": "sandbox-secret", "username": username,
        "password": "sandbox", "loginUrl": sandbox}})
    if not connected["ok"]:
        sys.exit("connect failed: " + connected["message"])
    return integration


def run_and_wait(base, key, integration, entity, mode="full", poll=0.2):
    """Runs a new task of the entity and waits for its execution to end (polled every `poll` seconds); returns it."""
    task = call("POST", base + "/api/tenant/integrations/%s/tasks" % integration, key, {"entity": entity, "mode": mode})["id"]
    execution = call("POST", base + "/api/tenant/integrations/%s/tasks/%s/run" % (integration, task), key)["executionId"]
    while True:
        e = call("GET", base + "/api/tenant/integrations/%s/executions/%s" % (integration, execution), key)
        if e["status"] not in ("pending", "running"):
            return e
        time.sleep(poll)


def stop(procs, work, keep_log=None, log=None):
    """Stops the hub processes (SIGTERM, then SIGKILL after 30 s) and removes the work directory (if one is given); with
    KEEP_BENCH_LOG set, the hub log is kept as keep_log first."""
    for p in procs:
        p.send_signal(signal.SIGTERM)
    for p in procs:
        try:
            p.wait(30)
        except subprocess.TimeoutExpired:
            p.kill()
    if keep_log and log and os.environ.get("KEEP_BENCH_LOG"):
        shutil.copy(log, keep_log)
    if work:
        shutil.rmtree(work, ignore_errors=True)


def graph_token(base):
    """An app-only Graph token from the hub's Entra sandbox (sandbox-client / sandbox-secret), for the Graph sandbox."""
    form = urllib.parse.urlencode({"grant_type": "client_credentials", "client_id": "sandbox-client", "client_secret": "sandbox-secret",
                                   "scope": "https://graph.microsoft.com/.default"}).encode()
    req = urllib.request.Request(base + "/sandbox/entra/sandbox-tenant/oauth2/v2.0/token", data=form, method="POST",
                                 headers={"Content-Type": "application/x-www-form-urlencoded"})
    with urllib.request.urlopen(req, timeout=60) as response:
        return json.load(response)["access_token"]
