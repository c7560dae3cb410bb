#!/usr/bin/env python3
"""Webhook benchmark: accepted deliveries per second, acknowledgement latency, receipt-to-shard latency.

Starts the hub (embedded default, Salesforce sandbox on) from target/castiel-integration-hub.jar and:
 1. posts signed Standard Webhooks deliveries (unique ids, pre-signed) with wrk at each connection count (16, 64
    and 256 by default) for a duration, and prints accepted deliveries per second and the p50/p99 acknowledgement
    latency wrk saw; then the same load against a bare JDK HTTP server verifying the same signatures and storing
    nothing (bench/BareWebhookServer.java), and the ratio of the hub's rate to the bare server's;
 2. edits records in the sandbox with an Outbound Message pointed at the hub, and prints the p50 time
    from the delivery's receipt (delivery log) to the shard holding the change (shard updatedAt).

  python3 bench/webhooks.py [--duration 15] [--connections 16,64,256] [--warmup 5] [--edits 20]

Needs wrk (Debian: apt-get install wrk). Build the jar first: mvn -B -DskipTests package
"""
import argparse, base64, urllib.error, hashlib, hmac, json, os, re, shutil, statistics, subprocess, sys, tempfile, time, urllib.parse, urllib.request
from datetime import datetime

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from hubproc import JAR, bench_tenant, call, free_port, run_and_wait, salesforce_integration, start, stop, wait_up  # noqa: E402


def sign(secret, msg_id, ts, body):
    key = base64.b64decode(secret[len("whsec_"):])
    mac = hmac.new(key, ("%s.%d." % (msg_id, ts)).encode() + body, hashlib.sha256).digest()
    return "v1," + base64.b64encode(mac).decode()


def lua_requests(path, secret, count, threads, out, tag="bench"):
    """A wrk script cycling through `count` distinct, signed deliveries (read from a data file: one Lua chunk
    cannot hold that many constants), each wrk thread taking its own share so no two threads send the same one."""
    ts = int(time.time())
    data = out + ".data"
    with open(data, "w") as f:
        for i in range(count):
            msg_id = "msg_%s_%d" % (tag, i)
            body = ('{"type":"company.updated","data":{"id":"%d"}}' % i).encode()
            f.write("%s\t%d\t%s\t%s\n" % (msg_id, ts, sign(secret, msg_id, ts, body), body.decode()))
    with open(out, "w") as f:
        f.write(r"""
local reqs = {}
local created = 0
setup = function(thread)
  thread:set("share", created)
  created = created + 1
end
init = function(args)
  -- built here, where wrk.headers holds the Host header a request needs
  local n = 0
  for line in io.lines("%s") do
    n = n + 1
    if n %% %d == share then
    local id, ts, sig, body = line:match("([^\t]+)\t([^\t]+)\t([^\t]+)\t(.*)")
    reqs[#reqs + 1] = wrk.format("POST", "%s", {["Host"] = wrk.headers["Host"], ["Content-Type"] = "application/json",
      ["webhook-id"] = id, ["webhook-timestamp"] = ts, ["webhook-signature"] = sig}, body)
    end
  end
end
local i = 0
request = function()
  i = i + 1
  if i > #reqs then i = 1 end
  return reqs[i]
end
local shown = false
response = function(status, headers, body)
  if status >= 300 and not shown then
    io.write("FIRST_REFUSAL " .. status .. " " .. body .. "\n")
    shown = true
  end
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT requests=%%d duration_us=%%d p50_us=%%d p90_us=%%d p99_us=%%d errors=%%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
""" % (data, threads, path))


def load(base, path, secret, connections, duration, threads, tag, work):
    """wrk at `connections` for `duration` s with distinct pre-signed deliveries (ids tagged, so no round repeats another's):
    accepted (2xx) per second and the latency percentiles wrk saw."""
    count = max(20000, duration * 8000)
    script = os.path.join(work, "deliveries-%s-%s.lua" % (tag, path.rsplit("/", 1)[-1][:8]))
    lua_requests(path, secret, count, threads, script, tag)
    out = subprocess.run(["wrk", "-t%d" % threads, "-c%d" % connections, "-d%ds" % duration, "--latency", "-s", script, base + path],
                         capture_output=True, text=True)
    out = out.stdout + out.stderr
    refusal = re.search(r"FIRST_REFUSAL .*", out)
    if refusal:
        print("first refused delivery: " + refusal.group(0)[len("FIRST_REFUSAL "):][:300])
    m = re.search(r"RESULT requests=(\d+) duration_us=(\d+) p50_us=(\d+) p90_us=(\d+) p99_us=(\d+) errors=(\d+)", out)
    if not m:
        sys.exit("wrk gave no result:\n" + out)
    requests, duration_us, p50, p90, p99, errors = map(int, m.groups())
    if requests > count:
        print("note: wrk cycled through the %d pre-signed deliveries at %d connections (%s); the hub answers repeats as duplicates"
              % (count, connections, base))
    return {"requests": requests, "errors": errors, "rate": (requests - errors) / (duration_us / 1e6), "p50": p50 / 1000,
            "p90": p90 / 1000, "p99": p99 / 1000}


def drain(base, key):
    """Waits until every accepted delivery is processed, so one count's backlog does not weigh on the next."""
    deadline = time.time() + 300
    while call("GET", base + "/api/webhooks/deliveries?limit=1&status=accepted", key)["items"]:
        if time.time() > deadline:
            sys.exit("accepted deliveries were not processed within 5 minutes")
        time.sleep(0.5)


def iso(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--duration", type=int, default=15, help="seconds of load per connection count")
    ap.add_argument("--connections", default="16,64,256", type=lambda v: [int(c) for c in v.split(",")],
                    help="comma-separated connection counts, each measured on the hub and on the bare server")
    ap.add_argument("--warmup", type=int, default=5, help="seconds of load on each server before the measured counts (0: none)")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--chart", help="write an SVG chart of accepted/s and p99 by connections to this file")
    ap.add_argument("--edits", type=int, default=20, help="sandbox edits for the receipt-to-shard latency")
    ap.add_argument("--hub-arg", action="append", default=[], help="extra argument for the hub, e.g. --hub-arg=--hub.webhooks.writers=4")
    a = ap.parse_args()
    if not os.path.exists(JAR):
        sys.exit("build the jar first: mvn -B -DskipTests package")
    if shutil.which("wrk") is None:
        sys.exit("wrk is needed (Debian: apt-get install wrk)")

    work = tempfile.mkdtemp(prefix="hub-webhook-bench-")
    port = free_port()
    hub, log = start("hub", port, ["--hub.sandbox.salesforce.outbound-batch-window=0ms"] + a.hub_arg, "1g", work)
    try:
        wait_up(port, hub)
        base = "http://localhost:%d" % port
        sandbox = base + "/sandbox/salesforce"
        key = bench_tenant(base)
        # an edit every few hundred ms with its incremental sync would be paced by the hub's Salesforce limit
        integration = salesforce_integration(base, key, sandbox, unpaced=True)
        run_and_wait(base, key, integration, "Account")

        # 1. throughput and acknowledgement latency
        registration = call("POST", base + "/api/tenant/integrations/%s/webhooks" % integration, key,
                            {"scheme": "standard_webhooks", "events": [os.environ.get("BENCH_EVENTS", "company.*")]})
        probe_ts = int(time.time())
        probe_body = b'{"type":"company.updated","data":{"id":"probe"}}'
        probe = urllib.request.Request(base + "/webhooks/" + registration["id"], data=probe_body, method="POST", headers={
            "Content-Type": "application/json", "webhook-id": "msg_probe", "webhook-timestamp": str(probe_ts),
            "webhook-signature": sign(registration["secret"], "msg_probe", probe_ts, probe_body)})
        try:
            urllib.request.urlopen(probe).read()
        except urllib.error.HTTPError as e:
            sys.exit("a signed delivery was refused: %d %s" % (e.code, e.read().decode()))
        # the bare server: the JDK's HTTP server verifying the same signatures, storing nothing (the floor of this machine)
        bare_port = free_port()
        # nodelay: without it the JDK server's small replies wait on Nagle and delayed ACKs (~40 ms each on a kept-alive connection)
        bare = subprocess.Popen(["java", "-Xmx256m", "-Dsun.net.httpserver.nodelay=true", os.path.join(os.path.dirname(os.path.abspath(__file__)), "BareWebhookServer.java"),
                                 str(bare_port), registration["secret"]], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        try:
            if "listening" not in bare.stdout.readline():
                sys.exit("the bare server did not start")
            bare_base = "http://127.0.0.1:%d" % bare_port
            if a.warmup > 0:
                # a fresh JVM's compilers take most of the first seconds; both servers get the same warm-up
                load(base, "/webhooks/" + registration["id"], registration["secret"], 64, a.warmup, a.threads, "warm", work)
                load(bare_base, "/webhooks/bare", registration["secret"], 64, a.warmup, a.threads, "warm", work)
                drain(base, key)
            rows = []
            for connections in a.connections:
                hub_result = load(base, "/webhooks/" + registration["id"], registration["secret"], connections, a.duration, a.threads,
                                  "c%d" % connections, work)
                bare_result = load(bare_base, "/webhooks/bare", registration["secret"], connections, a.duration, a.threads,
                                   "c%d" % connections, work)
                print("%4d connections: hub %6.0f accepted/s (p50 %.1f ms, p99 %.1f ms, %d not 2xx); bare server %6.0f/s (p99 %.1f ms);"
                      " hub/bare %.2f" % (connections, hub_result["rate"], hub_result["p50"], hub_result["p99"], hub_result["errors"],
                                          bare_result["rate"], bare_result["p99"], hub_result["rate"] / max(bare_result["rate"], 1)))
                rows.append((connections, hub_result, bare_result))
                drain(base, key)
        finally:
            bare.terminate()
            bare.wait(10)
        print()
        print("connections  hub accepted/s  hub p50 ms  hub p99 ms  bare req/s  bare p99 ms  hub/bare")
        for connections, h, b in rows:
            print("%11d  %14.0f  %10.1f  %10.1f  %10.0f  %11.1f  %8.2f" % (connections, h["rate"], h["p50"], h["p99"], b["rate"], b["p99"],
                                                                        h["rate"] / max(b["rate"], 1)))
        if a.chart:
            from svgchart import line_chart
            line_chart(a.chart, "Webhook intake by connections", "connections", "deliveries/s",
                       {"hub accepted/s": [(str(c), h["rate"]) for c, h, _ in rows],
                        "bare server req/s": [(str(c), b["rate"]) for c, _, b in rows],
                        "goal: 5,000/s": [(str(c), 5000) for c, _, _ in rows]})
            line_chart(a.chart.replace(".svg", "-p99.svg"), "Webhook acknowledgement p99 by connections", "connections", "ms",
                       {"hub p99": [(str(c), h["p99"]) for c, h, _ in rows], "bare p99": [(str(c), b["p99"]) for c, _, b in rows],
                        "goal: 50 ms": [(str(c), 50) for c, _, _ in rows]})
            print("charts: %s, %s" % (a.chart, a.chart.replace(".svg", "-p99.svg")))
        print("(wrk -t%d, %d s per count, client-side latency; deliveries acknowledged only once stored; all accepted deliveries were"
              " processed before the next count)" % (a.threads, a.duration))

        # 2. receipt-to-shard: Salesforce edits go out as Outbound Messages to the hub
        login = json.loads(urllib.request.urlopen(urllib.request.Request(sandbox + "/services/oauth2/token", data=urllib.parse.urlencode({
            "grant_type": "password", "client_id": "sandbox-client", "client_secret": "sandbox-secret",
            "username": "admin@sandbox.example", "password": "sandbox"}).encode())).read())
        token, org_id = login["access_token"], login["id"].split("/")[-2]
        om = call("POST", base + "/api/tenant/integrations/%s/webhooks" % integration, key,
                  {"scheme": "salesforce_outbound", "events": ["company.*"], "settings": {"organizationId": org_id}})
        call("POST", sandbox + "/setup/outbound-messages", token,
             {"name": "hub", "object": "Account", "endpointUrl": om["url"], "fields": ["Id", "Name"]})
        records = call("GET", sandbox + "/services/data/v59.0/query?q=" + urllib.parse.quote(
            "SELECT Id FROM Account ORDER BY SystemModstamp ASC LIMIT %d" % a.edits), token)["records"]
        shard_of = {}
        cursor = None
        while True:
            page = call("GET", base + "/api/tenant/shards?type=c_company&limit=1000" + ("&cursor=" + cursor if cursor else ""), key)
            for s in page["items"]:
                shard_of[s["externalRelationships"][0]["externalId"]] = s["id"]
            cursor = page["nextCursor"]
            if not cursor:
                break
        latencies = []
        for i, record in enumerate(records):
            name = "Bench edit %d %d" % (i, time.time_ns())
            req = urllib.request.Request(sandbox + "/services/data/v59.0/sobjects/Account/" + record["Id"], method="PATCH",
                                         data=json.dumps({"Name": name}).encode())
            req.add_header("Authorization", "Bearer " + token)
            req.add_header("Content-Type", "application/json")
            urllib.request.urlopen(req).read()
            deadline = time.time() + 30
            while True:
                shard = call("GET", base + "/api/tenant/shards/" + shard_of[record["Id"]], key)
                if shard["structuredData"].get("name") == name:
                    break
                if time.time() > deadline:
                    sys.exit("shard for %s did not follow the edit" % record["Id"])
                time.sleep(0.01)
            delivery = None
            while delivery is None and time.time() < deadline:
                found = [d for d in call("GET", base + "/api/webhooks/deliveries?limit=50&registrationId=" + om["id"], key)["items"]
                         if any(e.get("externalId") == record["Id"] for e in d.get("events") or [])]
                delivery = found[0] if found else None
            if delivery is None:
                sys.exit("no delivery logged for the edit of %s" % record["Id"])
            latencies.append((iso(shard["updatedAt"]) - iso(delivery["receivedAt"])).total_seconds() * 1000)
        if latencies:
            print("receipt to shard        p50 %.0f ms, max %.0f ms over %d Salesforce edits (delivery receivedAt -> shard updatedAt)"
                  % (statistics.median(latencies), max(latencies), len(latencies)))
    finally:
        stop([hub], work, "/tmp/webhook-bench-hub.log", log)


if __name__ == "__main__":
    main()
