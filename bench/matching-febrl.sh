#!/usr/bin/env bash
# Matching accuracy on FEBRL 4 (src/test/resources/febrl): precision, recall, F1, pairs compared, pair completeness, time.
# Usage: bash bench/matching-febrl.sh [--data DIR] [--limit N]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q test-compile
mvn -B -q dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
exec java -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" processors.matching.FebrlBenchmark "$@"
