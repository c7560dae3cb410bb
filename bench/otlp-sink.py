#!/usr/bin/env python3
"""A stand-in OpenTelemetry collector for the benchmarks: takes OTLP/HTTP trace exports (POST /v1/traces), answers 200,
and prints how many exports and bytes it took when stopped (Ctrl-C or SIGTERM), so a benchmark can run the hub with
tracing on at its full cost (every span sampled, encoded and sent) without a collector installed.

  python3 bench/otlp-sink.py [--port 4318] &
  python3 bench/webhook-burst.py --no-contend --hub-arg=--management.tracing.enabled=true \\
      --hub-arg=--management.otlp.tracing.endpoint=http://127.0.0.1:4318/v1/traces
"""
import argparse, http.server, signal, sys, threading

taken = {"exports": 0, "bytes": 0}
lock = threading.Lock()


class Sink(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        with lock:
            taken["exports"] += 1
            taken["bytes"] += len(body)
        self.send_response(200)
        self.send_header("Content-Type", "application/x-protobuf")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, default=4318)
    a = ap.parse_args()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", a.port), Sink)

    def stop(*_):
        print("otlp-sink: %d exports, %d bytes" % (taken["exports"], taken["bytes"]), flush=True)
        sys.exit(0)

    signal.signal(signal.SIGTERM, stop)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        stop()


if __name__ == "__main__":
    main()
