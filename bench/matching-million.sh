#!/usr/bin/env bash
# Time to match one incoming contact against 1,000,000 (blocking keys in H2, candidates query, scoring): p50, p95, p99.
# Usage: bash bench/matching-million.sh [--contacts N] [--queries N] [--limit N] [--dir DIR (keeps the loaded database)]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q test-compile
mvn -B -q dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
exec java -Xmx4g -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" store.BlockingKeyBenchmark "$@"
