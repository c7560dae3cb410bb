#!/usr/bin/env python3
"""Outgoing webhooks benchmark: deliveries per second to a local receiver, and the time from an event's commit to its
first attempt.

Starts the hub (embedded default, Salesforce sandbox on, N accounts) from target/castiel-integration-hub.jar, a receiver
in this process (http on 127.0.0.1, listed in hub.outbound.allowed-hosts; answers 200 at once, records each request's
webhook-id and arrival time, and checks every signature as Standard Webhooks specifies), and a tenant with:
 1. an endpoint for shard.created: a full sync of the N Salesforce accounts commits N shard.created events page by page;
    prints deliveries per second from the first delivery to the last (the sync runs meanwhile on the same cores) and from
    the sync's start to the last delivery;
 2. the senders alone: a second endpoint for shard.created answers 503 during the sync; once it has all N messages it
    is disabled (its pending messages fail), answers 200 again, is enabled and POST .../replay {"since"} makes all N
    due at once; prints deliveries per second from the replay to the last delivery;
 3. an endpoint for shard.updated: --edits shard PATCHes through the API, one every --gap seconds; prints p50/p99/max from
    the event's timestamp (taken in the committing transaction) to the first attempt's arrival at the receiver.

  python3 bench/outgoing-webhooks.py [--accounts 5000] [--edits 200] [--gap 0.05] [--heap 1g] [--hub-arg=--hub.x=y ...]

Standard library only. Build the jar first: mvn -B -DskipTests package
"""
import argparse, base64, hashlib, hmac, json, os, statistics, sys, tempfile, threading, time
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from hubproc import all_pages, bench_tenant, call, free_port, run_and_wait, salesforce_integration, start, stop, wait_up  # noqa: E402

RECEIVED = {}        # path -> {webhook-id: (arrival, payload timestamp)}
BAD_SIGNATURES = []
SECRETS = {}         # path -> secret
LOCK = threading.Lock()
FAILING = set()      # paths answering 503 (and not recorded)


def verifies(secret, headers, body):
    key = base64.b64decode(secret[len("whsec_"):])
    signed = ("%s.%s." % (headers["webhook-id"], headers["webhook-timestamp"])).encode() + body
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    return any(s.split(",", 1)[1] == expected for s in headers["webhook-signature"].split(" "))


class Receiver(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        arrival = time.time()
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        headers = {k.lower(): v for k, v in self.headers.items()}
        payload = json.loads(body)
        with LOCK:
            failing = self.path in FAILING
            if not verifies(SECRETS[self.path], headers, body):
                BAD_SIGNATURES.append(headers["webhook-id"])
            if not failing:
                RECEIVED.setdefault(self.path, {}).setdefault(headers["webhook-id"], (arrival, payload["timestamp"]))
        self.send_response(503 if failing else 200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def count(path):
    with LOCK:
        return len(RECEIVED.get(path, {}))


def endpoint(base, key, receiver_port, path, event_type):
    created = call("POST", base + "/api/tenant/webhook-endpoints", key,
                   {"url": "http://127.0.0.1:%d%s" % (receiver_port, path), "eventTypes": [event_type]})
    SECRETS[path] = created["secret"]
    return created["id"]


def epoch(iso):
    return datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--accounts", type=int, default=5000)
    ap.add_argument("--edits", type=int, default=200)
    ap.add_argument("--gap", type=float, default=0.05)
    ap.add_argument("--heap", default="1g")
    ap.add_argument("--hub-arg", action="append", default=[], help="more hub arguments, e.g. --hub-arg=--hub.webhooks-out.senders=16")
    a = ap.parse_args()
    receiver_port, hub_port = free_port(), free_port()
    server = ThreadingHTTPServer(("127.0.0.1", receiver_port), Receiver)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    work = tempfile.mkdtemp(prefix="hub-bench-hooks-")
    hub, log = start("hub", hub_port, ["--hub.sandbox.salesforce.accounts=%d" % a.accounts,
                                       "--hub.outbound.allowed-hosts=self,127.0.0.1:%d" % receiver_port] + a.hub_arg, a.heap, work)
    try:
        wait_up(hub_port, hub)
        base = "http://localhost:%d" % hub_port
        key = bench_tenant(base)
        integration = salesforce_integration(base, key, base + "/sandbox/salesforce", unpaced=True)
        created_endpoint = endpoint(base, key, receiver_port, "/created", "shard.created")
        FAILING.add("/backlog")
        backlog_endpoint = endpoint(base, key, receiver_port, "/backlog", "shard.created")

        started = time.time()
        execution = run_and_wait(base, key, integration, "Account")
        sync_seconds = time.time() - started
        synced = execution.get("recordsProcessed") or a.accounts
        deadline = time.time() + 600
        while count("/created") < synced and time.time() < deadline:
            time.sleep(0.05)
        with LOCK:
            arrivals = sorted(t for t, _ in RECEIVED["/created"].values())
        n = len(arrivals)
        print("throughput: %d shard.created delivered (of %d synced) in %.1f s from the first delivery: %.0f deliveries/s; "
              "%.1f s from the sync's start: %.0f/s (sync and deliveries on the same cores)"
              % (n, synced, arrivals[-1] - arrivals[0], (n - 1) / max(arrivals[-1] - arrivals[0], 1e-9),
                 arrivals[-1] - started, n / (arrivals[-1] - started)))
        written = sorted(epoch(m["createdAt"]) for m in all_pages(
            base + "/api/tenant/webhook-endpoints/%s/messages?limit=500" % created_endpoint, key))
        print("  of which: the sync took %.1f s; events written into messages by the relay %.1f s after the sync's start, the "
              "last %.1f s after it (%.0f messages/s); the last delivery %.1f s after the last message was written"
              % (sync_seconds, written[0] - started, written[-1] - started, (len(written) - 1) / max(written[-1] - written[0], 1e-9),
                 arrivals[-1] - written[-1]))

        # the senders alone: the messages of an endpoint that failed them all, replayed at once
        backlog = base + "/api/tenant/webhook-endpoints/" + backlog_endpoint
        while len(all_pages(backlog + "/messages?limit=500", key)) < synced and time.time() < deadline:
            time.sleep(0.5)
        call("PATCH", backlog, key, {"enabled": False})
        with LOCK:
            FAILING.discard("/backlog")
        call("PATCH", backlog, key, {"enabled": True})
        replay_started = time.time()
        replayed = call("POST", backlog + "/replay", key, {"since": "2000-01-01T00:00:00Z"})["replayed"]
        deadline = time.time() + 600
        while count("/backlog") < replayed and time.time() < deadline:
            time.sleep(0.05)
        with LOCK:
            last = max(t for t, _ in RECEIVED["/backlog"].values())
        print("senders: %d messages replayed at once to one endpoint, delivered in %.1f s: %.0f deliveries/s"
              % (count("/backlog"), last - replay_started, count("/backlog") / (last - replay_started)))

        endpoint(base, key, receiver_port, "/updated", "shard.updated")
        shards = call("GET", base + "/api/tenant/shards?type=c_company&limit=%d" % a.edits, key)["items"]
        for i, shard in enumerate(shards[:a.edits]):
            call("PATCH", base + "/api/tenant/shards/" + shard["id"], key, {"structuredData": {"phone": "+1 555 %04d" % i}})
            time.sleep(a.gap)
        edits = min(a.edits, len(shards))
        deadline = time.time() + 120
        while count("/updated") < edits and time.time() < deadline:
            time.sleep(0.05)
        with LOCK:
            latencies = sorted((arrival - epoch(ts)) * 1000 for arrival, ts in RECEIVED["/updated"].values())
        p99 = latencies[max(0, int(len(latencies) * 0.99) - 1)]
        print("latency: %d shard.updated, event commit -> first attempt at the receiver: p50 %.0f ms, p99 %.0f ms, max %.0f ms"
              % (len(latencies), statistics.median(latencies), p99, latencies[-1]))
        print("signatures: %d deliveries checked, %d failed verification" % (n + count("/backlog") + len(latencies), len(BAD_SIGNATURES)))
    finally:
        server.shutdown()
        stop([hub], work, keep_log="/tmp/outgoing-webhooks-bench.log", log=log)


if __name__ == "__main__":
    main()
