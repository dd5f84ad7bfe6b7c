#!/usr/bin/env bash
# Resident memory of every binary under load (integration-tests MemoryUnderLoadTest): one process per binary, each
# with the images' default JVM options unless --jvm says otherwise, uploads as fast as the Leader takes them,
# aggregation and an exact collection, every process's VmRSS sampled. The documented run (docs/PERFORMANCE.md):
#   bench/scripts/memory-under-load.sh                     # 50,000 reports, 32 uploads in flight
#   bench/scripts/memory-under-load.sh --reports 20000 --connections 64 --jvm "-Xmx128m -XX:+UseSerialGC"
# Prints one "MemoryUnderLoad" line per binary and a summary; the full output is in
# integration-tests/target/surefire-reports/io.janus.integration.MemoryUnderLoadTest-output.txt.
set -euo pipefail
cd "$(dirname "$0")/../.."
source .ci/find-jdk.sh

reports=50000 connections=32 jvm=()
while (( $# )); do
  case "$1" in
    --reports) reports=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    --jvm) jvm=("-Djanus.memory.jvm=$2"); shift 2 ;;
    -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
    *) echo "memory-under-load: unknown option $1 (try --help)" >&2; exit 2 ;;
  esac
done

output=integration-tests/target/surefire-reports/io.janus.integration.MemoryUnderLoadTest-output.txt
status=0
./mvnw -B -q verify -pl integration-tests -am -Djanus.fuzz.skip -Dtest=MemoryUnderLoadTest \
  -Dsurefire.failIfNoSpecifiedTests=false -Djanus.memory.reports="$reports" -Djanus.memory.connections="$connections" \
  "${jvm[@]}" || status=$?
grep -E '^MemoryUnderLoad' "$output" || true
exit "$status"
