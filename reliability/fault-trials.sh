#!/usr/bin/env bash
# Fault trials (integration-tests FaultTrialTest): a whole deployment of separate processes (PostgreSQL, two copies
# of every binary), kill -9 of each binary, a PostgreSQL immediate stop and every Helper down, at random points of
# the upload and aggregation; each trial's collection must equal what the Leaders acknowledged. Stops at the first
# trial that is not exact. The documented run (docs/RELIABILITY.md) is the default:
#   reliability/fault-trials.sh                       # 20 trials of 20,000 reports, Helper down 60 s
#   reliability/fault-trials.sh --trials 3 --reports 5000 --helper-down-s 10 --upload-rate 250 [--seed N]
# Prints one "FaultTrial result" line per trial and a summary; the full output is in
# integration-tests/target/surefire-reports/io.janus.integration.FaultTrialTest-output.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
source .ci/find-jdk.sh

trials=20 reports=20000 helper_down_s=60 upload_rate=250 seed=()
while (( $# )); do
  case "$1" in
    --trials) trials=$2; shift 2 ;;
    --reports) reports=$2; shift 2 ;;
    --helper-down-s) helper_down_s=$2; shift 2 ;;
    --upload-rate) upload_rate=$2; shift 2 ;;
    --seed) seed=("-Djanus.test.seed=$2"); shift 2 ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) echo "fault-trials: unknown option $1 (try --help)" >&2; exit 2 ;;
  esac
done

output=integration-tests/target/surefire-reports/io.janus.integration.FaultTrialTest-output.txt
status=0
./mvnw -B -q verify -pl integration-tests -am -Dtest=FaultTrialTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Djanus.trials="$trials" -Djanus.trial.reports="$reports" -Djanus.trial.helper-down-s="$helper_down_s" \
  -Djanus.trial.upload-rate="$upload_rate" "${seed[@]}" || status=$?
grep -E '^FaultTrial(Test: seed| result| summary)' "$output" || true
exit "$status"
