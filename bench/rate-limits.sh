#!/usr/bin/env bash
# Rate-limit checks per second, in-process (local buckets) and through PostgreSQL (shared buckets).
# Usage: bash bench/rate-limits.sh [seconds per row, default 5] [jdbc url, default jdbc:postgresql://127.0.0.1:5432/test]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q test-compile
mvn -B -q dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
exec java -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" ratelimits.RateLimitBenchmark "$@"
