"""Starting and talking to hub processes for the benchmarks (standard library only)."""
import json, os, shutil, signal, socket, subprocess, sys, time, urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
JAR = os.path.join(ROOT, "target", "castiel-integration-hub.jar")
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




def bench_tenant(base):
    """Creates the tenant "bench"; returns an API key of it."""
    call("POST", base + "/api/admin/tenants", ADMIN, {"id": "bench", "name": "Bench"})
    return call("POST", base + "/api/admin/tenants/bench/api-keys", ADMIN, {})["key"]


def salesforce_integration(base, key, sandbox, settings=None, unpaced=False):
    """A Salesforce integration connected to the sandbox at `sandbox` (admin@sandbox.example); with unpaced, the
    integration's and the tenant's rate limits are lifted far above what the benchmark makes (the hub paces Salesforce
    at its catalog default, 300 calls/min: a benchmark of another path must not measure that)."""
    body = {"providerId": "salesforce", "name": "bench"}
    body.update(settings or {})
    integration = call("POST", base + "/api/tenant/integrations", key, body)["id"]
    if unpaced:
        lifted = {"requests": 60000, "windowSeconds": 60}
        call("PUT", base + "/api/tenant/integrations/%s/rate-limits" % integration, key, {"integration": lifted})
        call("PUT", base + "/api/tenant/rate-limits", key, {"tenant": lifted})
    connected = call("POST", base + "/api/tenant/integrations/%s/connect/api-key" % integration, key, {"credentials": {
        "clientId": "sandbox-client", "clientSecret": "sandbox-secret", "username": "admin@sandbox.example",
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
    """Stops the hub processes (SIGTERM, then SIGKILL after 30 s) and removes the work directory; with
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
    shutil.rmtree(work, ignore_errors=True)
