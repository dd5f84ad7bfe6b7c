#!/usr/bin/env bash
# End-to-end throughput benchmark (io.janus.bench.e2e.EndToEndThroughput): compiles the bench module, then runs
# the benchmark on its class path. Every argument goes to the benchmark; try --help.
#   bench/scripts/e2e-throughput.sh --reports 20000 --warmup-reports 10000
# JAVA_OPTS adds JVM flags, e.g. JAVA_OPTS="-XX:StartFlightRecording=filename=/tmp/e2e.jfr,settings=profile".
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
cd "$repo"
cp_file="bench/target/e2e-classpath.txt"
# E2E_SKIP_BUILD=1 reuses the last build (bench/target is shared with the JMH build; avoid racing it).
if [[ "${E2E_SKIP_BUILD:-0}" != 1 || ! -f "$cp_file" ]]; then
  ./mvnw -B -q -f bench/pom.xml compile dependency:build-classpath -Dmdep.outputFile="$repo/$cp_file" >&2
fi
exec "$JAVA_HOME/bin/java" -Xms1g -Xmx1g ${JAVA_OPTS:-} \
  -cp "bench/target/classes:$(cat "$cp_file")" io.janus.bench.e2e.EndToEndThroughput "$@"
