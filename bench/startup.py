#!/usr/bin/env python3
"""Start-up benchmark: what the hub spends until it is ready, on the embedded default (H2 + embedded Artemis).

Starts the built hub N times on a fresh data directory and N times on an existing one (made by a start before), each
time until GET /actuator/health/readiness answers UP (polled every 20 ms), and prints per launch and data directory:

  wall s       time from the process's start to readiness UP (p50 and max of the runs): on a busy machine this is
               mostly waiting for a core, so compare the CPU figure
  cpu s        user + system CPU seconds the hub process had used when readiness turned UP (/proc/<pid>/stat)
  rss MB       resident memory at ready (/proc/<pid>/status VmRSS), and after a small sync (1,000 Salesforce accounts
               from the hub's own sandbox, fresh runs only)
  classes      classes loaded at ready (/actuator/metrics/jvm.classes.loaded)

then, from the first fresh run, which has Spring Boot's start-up recorder on (-Dhub.startup.steps, /actuator/startup), the
biggest start-up phases: Spring's steps by self time (time in a step less its sub-steps; a bean's creation counted without the
beans it needed) and the phases the log shows (Flyway, Artemis, Camel, Tomcat), each as a share of the start.

  python3 bench/startup.py [--runs 3] [--launch readme|jar|both] [--java-opt=-XX:+UseSerialGC ...] [--top 15] [--jar X.jar]

  readme  the README's run command: the extracted jar with its class data sharing archive (target/hub/, made by
          `mvn -B -DskipTests package`)
  jar     java -jar target/castiel-integration-hub.jar (the fat jar, no archive)

Standard library only. Build first: mvn -B -DskipTests package
"""
import argparse, http.client, os, re, shutil, subprocess, sys, tempfile, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from hubproc import ADMIN, JAR, ROOT, bench_tenant, call, cpu_seconds, free_port, percentile, run_and_wait, salesforce_integration  # noqa: E402

STARTUP_STEPS = "hub.startup.steps"  # hub.CastielHubApplication.STARTUP_STEPS
EXTRACTED = os.path.join(ROOT, "target", "hub")
README_RUN = "mvn -B -DskipTests package && java "  # the README's quick-start line (hub.StartupIT reads it the same way)


def readme_launch():
    """The README's run command after `java`: its JVM options and jar, paths relative to the project."""
    with open(os.path.join(ROOT, "README.md")) as f:
        line = next((l for l in f if l.startswith(README_RUN)), None)
    if line is None:
        sys.exit("README.md has no line starting with %r" % README_RUN)
    return line[len(README_RUN):].split("#")[0].split()


README_LAUNCH = readme_launch()
FAT_JAR = JAR  # --jar replaces it (e.g. a copy of an earlier build, to compare)


def command(launch, java_opts, data_dir, port, extra):
    jar = ["-jar", FAT_JAR] if launch == "jar" else [os.path.join(ROOT, a) if a.startswith("target/") else a for a in README_LAUNCH]
    if launch != "jar":
        jar = [a.replace("-XX:SharedArchiveFile=target/", "-XX:SharedArchiveFile=" + os.path.join(ROOT, "target") + "/") for a in jar]
    return (["java"] + java_opts + jar + ["--hub.data-dir=" + data_dir, "--server.port=%d" % port, "--hub.admin-api-key=" + ADMIN]
            + extra)


def rss_mb(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024.0
    return 0.0


def ready(port):
    try:
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        c.request("GET", "/actuator/health/readiness")
        r = c.getresponse()
        body = r.read()
        c.close()
        return r.status == 200 and b'"UP"' in body
    except OSError:
        return False


def start_until_ready(launch, java_opts, data_dir, log_path, extra, timeout):
    """Starts a hub and polls its readiness; returns (process, port, wall s, cpu s, rss MB) at the first UP."""
    port = free_port()
    log = open(log_path, "w")
    began = time.time()
    proc = subprocess.Popen(command(launch, java_opts, data_dir, port, list(extra)), stdout=log, stderr=subprocess.STDOUT,
                            cwd=ROOT)
    while time.time() - began < timeout:
        if proc.poll() is not None:
            sys.exit("hub exited early (%d); log: %s" % (proc.returncode, log_path))
        if ready(port):
            wall = time.time() - began
            return proc, port, wall, cpu_seconds(proc.pid), rss_mb(proc.pid)
        time.sleep(0.02)
    proc.kill()
    sys.exit("hub did not become ready in %d s; log: %s" % (timeout, log_path))


def stop(proc):
    proc.terminate()
    try:
        proc.wait(60)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def classes_loaded(base):
    return call("GET", base + "/actuator/metrics/jvm.classes.loaded", ADMIN)["measurements"][0]["value"]


def small_sync(base):
    key = bench_tenant(base)
    integration = salesforce_integration(base, key, base + "/sandbox/salesforce", unpaced=True)
    e = run_and_wait(base, key, integration, "Account", poll=0.1)
    if e["status"] != "completed":
        sys.exit("small sync ended %s: %s" % (e["status"], e.get("error")))
    return e["recordsProcessed"]


def measure(launch, java_opts, runs, work, timeout):
    """Fresh and existing data directory runs of one launch; returns ({state: [run dicts]}, phases of the first run).
    The first fresh run has Spring Boot's start-up recorder on (its steps are read from /actuator/startup at ready)."""
    results = {"fresh": [], "existing": []}
    phases = None
    existing = os.path.join(work, launch + "-existing")
    for i in range(runs):
        data = os.path.join(work, "%s-fresh-%d" % (launch, i))
        opts, extra = java_opts, []
        if i == 0:
            opts = java_opts + ["-D%s=100000" % STARTUP_STEPS]
            extra = ["--management.endpoints.web.exposure.include=health,metrics,startup"]
        proc, port, wall, cpu, rss = start_until_ready(launch, opts, data, data + ".log", extra, timeout)
        base = "http://localhost:%d" % port
        run = {"wall": wall, "cpu": cpu, "rss": rss, "classes": classes_loaded(base)}
        if i == 0:
            steps = call("GET", base + "/actuator/startup", ADMIN)["timeline"]["events"]
            with open(data + ".log") as f:
                phases = (wall, cpu, step_phases(steps), log_phases(f.read()))
        run["synced"] = small_sync(base)
        run["rss_sync"] = rss_mb(proc.pid)
        stop(proc)
        show(launch, "fresh", i, run)
        results["fresh"].append(run)
        if i == 0:
            shutil.copytree(data, existing)  # the existing data directory: one start and a sync old
        shutil.rmtree(data, ignore_errors=True)
    for i in range(runs):
        proc, port, wall, cpu, rss = start_until_ready(launch, java_opts, existing,
                                                       os.path.join(work, "%s-existing-%d.log" % (launch, i)), (), timeout)
        run = {"wall": wall, "cpu": cpu, "rss": rss, "classes": classes_loaded("http://localhost:%d" % port)}
        stop(proc)
        show(launch, "existing", i, run)
        results["existing"].append(run)
    return results, phases


def show(launch, state, i, run):
    print("  run %s %s %d: wall %.2f s, cpu %.2f s, rss %.0f MB%s, classes %.0f" % (
        launch, state, i, run["wall"], run["cpu"], run["rss"],
        " (%.0f MB after syncing %d records)" % (run["rss_sync"], run["synced"]) if "rss_sync" in run else "", run["classes"]),
        flush=True)


def log_phases(log_text):
    """Phases the log shows, in seconds: [(name, seconds)]."""
    stamps = []
    for line in log_text.splitlines():
        m = re.match(r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+)", line)
        if m:
            t = time.mktime(time.strptime(m.group(1)[:19], "%Y-%m-%dT%H:%M:%S")) + float("0." + m.group(1)[20:])
            stamps.append((t, line))

    def first(pattern):
        for t, line in stamps:
            if re.search(pattern, line):
                return t
        return None

    phases = []

    def span(name, a, b):
        ta, tb = first(a), first(b)
        if ta is not None and tb is not None:
            phases.append((name, tb - ta))

    span("Flyway (validate + migrate)", r"Flyway OSS Edition|Database: jdbc", r"Successfully applied|Schema .* is up to date|No migration necessary")
    span("Artemis broker start", r"AMQ221000", r"AMQ221007")
    span("Camel context start", r"Apache Camel .* is starting|Apache Camel .* \(.*\) is starting", r"Apache Camel .* started in")
    span("Tomcat init to context ready", r"Tomcat initialized", r"Root WebApplicationContext: initialization completed")
    m = re.search(r"Apache Camel \S+ \(\S+\) started in (\S+) \(build:(\S+) init:(\S+) start:(\S+)", log_text)
    if m:
        phases.append(("Camel (own figure: build %s init %s start %s)" % (m.group(2), m.group(3), m.group(4)), duration(m.group(1))))
    m = re.search(r"Started \S+ in ([0-9.]+) seconds \(process running for ([0-9.]+)\)", log_text)
    if m:
        phases.append(("Spring Boot 'Started ... in'", float(m.group(1))))
        phases.append(("JVM start to Spring Boot started", float(m.group(2))))
    return phases


def duration(text):
    """Camel's 1s234ms / 812ms / 1m2s as seconds."""
    total = 0.0
    for value, unit in re.findall(r"([0-9.]+)(ms|s|m|h)", text):
        total += float(value) * {"ms": 0.001, "s": 1, "m": 60, "h": 3600}[unit]
    return total


def step_phases(steps):
    """Spring's start-up steps by self time: [(label, seconds)], largest first."""
    by_id = {}
    for s in steps:
        st = s["startupStep"]
        if s.get("endTime") is None:
            continue
        secs = iso_duration(s["duration"]) if s.get("duration") else iso_seconds(s["endTime"]) - iso_seconds(s["startTime"])
        tags = {t["key"]: t["value"] for t in st.get("tags", [])}
        label = st["name"]
        if "beanName" in tags:
            label = "bean " + tags["beanName"]
        elif "postProcessor" in tags:
            label = st["name"] + " " + tags["postProcessor"].split(".")[-1].split("@")[0]
        by_id[st["id"]] = {"label": label, "secs": secs, "parent": st.get("parentId"), "children": 0.0}
    for node in by_id.values():
        parent = by_id.get(node["parent"])
        if parent is not None:
            parent["children"] += node["secs"]
    totals = {}
    for node in by_id.values():
        totals[node["label"]] = totals.get(node["label"], 0.0) + max(0.0, node["secs"] - node["children"])
    return sorted(totals.items(), key=lambda kv: -kv[1])


def iso_duration(text):
    """An ISO-8601 duration (PT1M2.5S) as seconds."""
    m = re.match(r"PT(?:(\d+)H)?(?:(\d+)M)?(?:([0-9.]+)S)?", text)
    return int(m.group(1) or 0) * 3600 + int(m.group(2) or 0) * 60 + float(m.group(3) or 0)


def iso_seconds(text):
    m = re.match(r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(\.\d+)?Z", text)
    base = time.mktime(time.strptime(m.group(1), "%Y-%m-%dT%H:%M:%S"))
    return base + (float(m.group(2)) if m.group(2) else 0.0)


def summary(name, runs, key, fmt):
    values = [r[key] for r in runs if key in r]
    if not values:
        return ""
    return ("%s p50 " + fmt + " (min " + fmt + ", max " + fmt + ")") % (name, percentile(values, 50), min(values), max(values))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--launch", choices=["readme", "jar", "both"], default="both")
    ap.add_argument("--java-opt", action="append", default=[], help="JVM option added to every start, e.g. --java-opt=-XX:+UseSerialGC")
    ap.add_argument("--top", type=int, default=15, help="phases shown")
    ap.add_argument("--timeout", type=int, default=1800, help="seconds a start may take before the run fails")
    ap.add_argument("--jar", default=JAR, help="the fat jar the jar launch starts (default target/castiel-integration-hub.jar)")
    a = ap.parse_args()
    global FAT_JAR
    FAT_JAR = os.path.abspath(a.jar)
    if not os.path.exists(FAT_JAR):
        sys.exit("build first: mvn -B -DskipTests package")
    launches = ["readme", "jar"] if a.launch == "both" else [a.launch]
    if "readme" in launches and not os.path.exists(os.path.join(EXTRACTED, "castiel-integration-hub.jsa")):
        sys.exit("no target/hub/castiel-integration-hub.jsa: build with mvn -B -DskipTests package")
    with open("/proc/loadavg") as f:
        load = f.read().split()[0]
    print("load average at start %s on %d cores; JVM options %s" % (load, os.cpu_count(), " ".join(a.java_opt) or "(none)"))
    work = tempfile.mkdtemp(prefix="hub-startup-")
    try:
        for launch in launches:
            shown = "java " + " ".join(a.java_opt + (["-jar", os.path.relpath(FAT_JAR, ROOT)] if launch == "jar" else README_LAUNCH))
            print("\n== %s: %s" % (launch, shown))
            results, phases = measure(launch, a.java_opt, a.runs, work, a.timeout)
            for state, runs in results.items():
                if not runs:
                    continue
                print("%-8s %d runs: %s" % (state, len(runs), summary("wall", runs, "wall", "%.2f s")))
                print("          %s" % summary("cpu", runs, "cpu", "%.2f s"))
                print("          %s" % summary("rss at ready", runs, "rss", "%.0f MB"))
                if state == "fresh":
                    print("          %s" % summary("rss after a sync of %d records" % runs[0]["synced"], runs, "rss_sync", "%.0f MB"))
                print("          %s" % summary("classes loaded", runs, "classes", "%.0f"))
            if phases:
                wall, cpu, steps, logged = phases
                print("phases of fresh run 0 (recorder on: wall %.2f s, cpu %.2f s), seconds of wall time:" % (wall, cpu))
                for label, secs in logged:
                    print("  log   %-60s %6.2f s" % (label, secs))
                for label, secs in steps[:a.top]:
                    print("  step  %-60s %6.2f s" % (label[:60], secs))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
