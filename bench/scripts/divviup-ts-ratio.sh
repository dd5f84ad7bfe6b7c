#!/usr/bin/env bash
# Prio3 against divviup-ts, side by side: installs divviup-ts (@divviup/prio3 0.8.0 from npm, which implements
# draft-irtf-cfrg-vdaf-08, as our Prio3Benchmark's VDAF-08 variants do) into bench/target/divviup-ts, builds the JMH
# jar, then for each variant times divviup-ts's steps (bench/scripts/divviup-ts/bench.mjs) and right after it the
# same steps of Prio3Benchmark, and prints a Markdown table of per-operation times and ratios.
#   bench/scripts/divviup-ts-ratio.sh
#   VARIANTS=COUNT,SUM_8 WARMUP=2 ITERATIONS=3 bench/scripts/divviup-ts-ratio.sh     # shorter
# Environment: VARIANTS (VDAF-08 names of io.janus.bench.Prio3Variant; default: all nine), WARMUP and ITERATIONS
# (of 1 s each, both sides; default 5 and 5: on a busy machine C2 needs the five seconds to finish compiling shard),
# SKIP_BUILD=1 reuses bench/target/benchmarks.jar, JAR=path times another benchmarks.jar (e.g. one built from an
# older commit; implies SKIP_BUILD), MVN_FLAGS (e.g. -o).
# Needs a JDK 21+ and Node 18+ with npm; nothing else (the sibling modules are built in the reactor).
set -euo pipefail
cd "$(dirname "$0")/../.."

source .ci/find-jdk.sh
for tool in node npm; do
  command -v "$tool" >/dev/null || { echo "$(basename "$0"): $tool not found: install Node.js 18+ with npm." >&2; exit 1; }
done

variants=${VARIANTS:-COUNT,SUM_8,SUM_32,HISTOGRAM_100_LIBPRIO,HISTOGRAM_100_OPTIMAL,HISTOGRAM_1000_LIBPRIO,HISTOGRAM_1000_OPTIMAL,SUMVEC_1000_LIBPRIO,SUMVEC_1000_OPTIMAL}
warmup=${WARMUP:-5}
iterations=${ITERATIONS:-5}
steps='shard|prepInitLeader|prepInitHelper|prepSharesToPrep|leaderContinued'
out=bench/target/divviup-ts
mkdir -p "$out/results"
rm -f "$out"/results/*.json

# divviup-ts, from the committed lock file, outside the source tree.
cp bench/scripts/divviup-ts/package.json bench/scripts/divviup-ts/package-lock.json \
  bench/scripts/divviup-ts/bench.mjs bench/scripts/divviup-ts/ratio.mjs "$out/"
(cd "$out" && npm ci --no-audit --no-fund --loglevel=error >&2)

jar=${JAR:-bench/target/benchmarks.jar}
if [[ -z "${JAR:-}" && ( "${SKIP_BUILD:-0}" != 1 || ! -f "$jar" ) ]]; then
  if (( $(java_major "$JAVA_HOME/bin/java") >= 24 )); then
    export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
  fi
  # shellcheck disable=SC2086
  ./mvnw -B -q ${MVN_FLAGS:-} -pl bench -am package -DskipTests >&2
fi

load() { cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || uptime; }
echo "start $(date -u +%FT%TZ), load average $(load); $("$JAVA_HOME/bin/java" -version 2>&1 | head -1); node $(node --version)" >&2
node_results=()
for v in ${variants//,/ }; do
  echo "== $v: divviup-ts (load $(load))" >&2
  node "$out/bench.mjs" --variants "$v" --warmup "$warmup" --iterations "$iterations" --time-ms 1000 \
    --out "$out/results/node-$v.json"
  node_results+=("$out/results/node-$v.json")
  echo "== $v: janus-java (load $(load))" >&2
  "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -jar "$jar" "Prio3Benchmark.($steps)\$" -p variant="$v" \
    -f 1 -wi "$warmup" -i "$iterations" -w 1 -r 1 -prof io.janus.bench.CpuTimeProfiler \
    -rf json -rff "$out/results/jmh-$v.json" >"$out/results/jmh-$v.log" 2>&1 \
    || { tail -30 "$out/results/jmh-$v.log" >&2; exit 1; }
done
echo "end $(date -u +%FT%TZ), load average $(load)" >&2

# One node result file holding every variant's rows, then the table.
node -e '
  const fs = require("fs");
  const files = process.argv.slice(1);
  const docs = files.map((f) => JSON.parse(fs.readFileSync(f, "utf8")));
  const merged = { ...docs[0], results: docs.flatMap((d) => d.results) };
  fs.writeFileSync(files[0].replace(/node-[^/]*\.json$/, "node.json"), JSON.stringify(merged, null, 1));
' "${node_results[@]}"
node "$out/ratio.mjs" "$out/results/node.json" "$out"/results/jmh-*.json
