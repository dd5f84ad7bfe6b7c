#!/usr/bin/env bash
# Fuzzes every decoder target in messages and vdaf (the @FuzzTest methods of each module's DecoderFuzzTest, and of
# messages' Dap18DecoderFuzzTest) with Jazzer, one JVM per target, and prints each target's executions, speed and
# coverage. docs/RELIABILITY.md records the measured runs.
#
#   reliability/fuzz-decoders.sh                 # 250,000 inputs per target (DAP-09 and vdaf: 44 targets; DAP-18: 32)
#   FUZZ_RUNS=20000 reliability/fuzz-decoders.sh # a quick pass
#
# FUZZ_RUNS: inputs per target. FUZZ_MAX_SECONDS: time cap per target (default 900). FUZZ_INPUT_TIMEOUT: seconds one
# input may take before it counts as a hang (default 10). Crashing inputs are written to
# target/fuzz-decoders/<module>/<target>/ (<module> is messages-dap18 for the DAP-18 targets); copy one into the
# target's DecoderFuzzTestInputs (or Dap18DecoderFuzzTestInputs) folder to keep it as a regression seed. Exits
# non-zero if any target found something.
set -euo pipefail
cd "$(dirname "$0")/.."

# Jazzer and the build need JDK 21+; the machine's default java may be older.
source .ci/find-jdk.sh

runs=${FUZZ_RUNS:-250000}
max_seconds=${FUZZ_MAX_SECONDS:-900}
input_timeout=${FUZZ_INPUT_TIMEOUT:-10}

# Compiles the tests and writes each module's test class path; nothing is installed into the local repository.
./mvnw -B -q test-compile dependency:build-classpath -pl messages,vdaf \
  -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test

echo "Using JAVA_HOME=$JAVA_HOME; $runs inputs per target, at most ${max_seconds} s each; started $(date -u +%FT%TZ)"
printf '%-8s %-26s %12s %8s %9s %6s %7s  %s\n' module target inputs seconds exec/s cov features result
total=0
failed=0
for label in messages messages-dap18 vdaf; do
  case $label in
    messages) module=messages; class=io.janus.messages.dap09.DecoderFuzzTest ;;
    messages-dap18) module=messages; class=io.janus.messages.dap18.Dap18DecoderFuzzTest ;;
    vdaf) module=vdaf; class=io.janus.vdaf.DecoderFuzzTest ;;
  esac
  source_file=$module/src/test/java/${class//.//}.java
  classpath="$module/target/test-classes:$module/target/classes:$(cat "$module/target/test-classpath.txt")"
  for target in $(grep -A1 '@FuzzTest' "$source_file" | sed -n 's/^ *void \([A-Za-z0-9]*\)(.*/\1/p'); do
    dir=target/fuzz-decoders/$label/$target
    rm -rf "$dir"
    mkdir -p "$dir/corpus"
    log=$dir/jazzer.log
    started=$(date +%s)
    # -Xmx bounds the heap, so an allocation sized by a length prefix shows up as an OutOfMemoryError finding;
    # libFuzzer's own RSS limit is off because a JVM's resident size says little about the decoder.
    if "$JAVA_HOME/bin/java" -Xmx1g -XX:+EnableDynamicAgentLoading -cp "$classpath" com.code_intelligence.jazzer.Jazzer \
        --target_class="$class" --target_method="$target" \
        -runs="$runs" -max_total_time="$max_seconds" -timeout="$input_timeout" -rss_limit_mb=0 \
        -artifact_prefix="$dir/" "$dir/corpus" >"$log" 2>&1; then
      result=ok
    else
      result="FAILED (see $log)"
      failed=$((failed + 1))
    fi
    elapsed=$(( $(date +%s) - started ))
    done_runs=$(sed -n 's/^Done \([0-9]*\) runs in .*/\1/p' "$log" | tail -1)
    done_seconds=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log" | tail -1)
    stats=$(grep -E '^#[0-9]+[[:space:]]+(DONE|pulse|NEW|REDUCE|INITED)' "$log" | tail -1 || true)
    cov=$(sed -n 's/.* cov: \([0-9]*\) .*/\1/p' <<<"$stats")
    ft=$(sed -n 's/.* ft: \([0-9]*\) .*/\1/p' <<<"$stats")
    if [[ -z "$done_runs" ]]; then
      done_runs=$(sed -n 's/^#\([0-9]*\).*/\1/p' <<<"$stats")
      done_seconds=$elapsed
    fi
    rate=$(( ${done_runs:-0} / (${done_seconds:-0} > 0 ? done_seconds : 1) ))
    total=$(( total + ${done_runs:-0} ))
    printf '%-8s %-26s %12s %8s %9s %6s %7s  %s\n' "$label" "$target" "${done_runs:-?}" "${done_seconds:-?}" \
      "$rate" "${cov:-?}" "${ft:-?}" "$result"
  done
done
echo "Total: $total inputs, $failed target(s) with findings; finished $(date -u +%FT%TZ)"
(( failed == 0 ))
