#!/usr/bin/env bash
# End-to-end throughput benchmark (io.janus.bench.e2e.EndToEndThroughput): compiles the bench module and the modules
# it depends on, then runs the benchmark on its class path. Every argument goes to the benchmark; try --help.
#   bench/scripts/e2e-throughput.sh --reports 20000 --warmup-reports 10000
# JAVA_OPTS adds JVM flags, e.g. JAVA_OPTS="-XX:StartFlightRecording=filename=/tmp/e2e.jfr,settings=profile".
# Needs only a JDK 21+: the sibling modules are built in the reactor, never looked up in ~/.m2.
set -euo pipefail
cd "$(dirname "$0")/../.."

# A JDK 21+ (the default java may be older).
source .ci/find-jdk.sh

cp_file="bench/target/e2e-classpath.txt"
# E2E_SKIP_BUILD=1 reuses the last build (bench/target is shared with the JMH build; avoid racing it).
if [[ "${E2E_SKIP_BUILD:-0}" != 1 || ! -f "$cp_file" ]]; then
  # JDK 24+ warns about Maven's own use of sun.misc.Unsafe; that noise is not ours to fix.
  if (( $(java_major "$JAVA_HOME/bin/java") >= 24 )); then
    export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
  fi
  # From the root with -am the reactor resolves the sibling modules to their freshly built classes, so nothing
  # needs to be installed in ~/.m2. test-compile, not compile: some modules depend on core's test classes. Each
  # module writes its own class path file (relative to itself); bench's is the one read below.
  ./mvnw -B -q -pl bench -am test-compile dependency:build-classpath -Dmdep.outputFile=target/e2e-classpath.txt >&2
fi
exec "$JAVA_HOME/bin/java" -Xms1g -Xmx1g --enable-native-access=ALL-UNNAMED ${JAVA_OPTS:-} \
  -cp "bench/target/classes:$(cat "$cp_file")" io.janus.bench.e2e.EndToEndThroughput "$@"
