#!/usr/bin/env bash
# Image test: builds every image from the Dockerfile and runs a whole deployment of them, then checks what an operator
# relies on (docs/DEPLOYING.md, "The image test", has a run's output):
#   - the five service images and janus_cli build (docker where an engine answers, else podman);
#   - janus_cli migrates both databases and provisions two tasks on the Leader and the Helper;
#   - every service starts under the memory limit, read-only but for /tmp, its HEALTHCHECK passes, it runs as uid
#     10001;
#   - reports uploaded with the janus_cli image are collected exactly, also across a Leader stopped with SIGTERM in
#     the middle of an upload and restarted;
#   - SIGTERM stops every service within its grace period, with exit status 0 or 143 and nothing SEVERE logged;
#   - with every heap committed at its maximum, no service reaches the memory limit under an upload and collection;
#   - idle and peak memory of each service, and each image's size, are printed.
#
#   docker/image-test.sh                         # from the repository root or anywhere
#
# Environment (all optional):
#   ENGINE=docker|podman   the container engine; default: docker if `docker info` answers, else podman
#   PODMAN_RUNTIME=PATH    OCI runtime for podman's --runtime (a sandbox that forbids setrlimit needs a wrapper)
#   JDK_IMAGE, JRE_IMAGE   base images; default: eclipse-temurin:25-{jdk,jre}-noble if the engine has or can pull
#                          them, else local ones docker/local-base.sh makes from this machine's JDK (no registry)
#   REPORTS=20000          reports uploaded before the Leader is stopped; INTERRUPTED_REPORTS=5000 during the stop
#   MEMORY_MIB=512         each service container's memory limit
#   PORT_BASE=28400        host ports PORT_BASE+1..+99 are used (containers share the host network)
#   KEEP=1                 leave the containers, PostgreSQL and the work directory for a look afterwards
# PostgreSQL runs on loopback from the machine's binaries (pg_ctl and initdb of PostgreSQL 15+, e.g. Debian's
# postgresql package), as the postgres user when run as root, with a data directory of its own.
set -euo pipefail
cd "$(dirname "$0")/.."

reports=${REPORTS:-20000}
interrupted_reports=${INTERRUPTED_REPORTS:-5000}
port_base=${PORT_BASE:-28400}
grace=40            # seconds `stop` waits before SIGKILL; the harness gives a stop at most 30 s
memory_mib=${MEMORY_MIB:-512}   # every service container's memory limit
memory=${memory_mib}m
tag=latest
prefix=janus-it     # container names

# ---- engine ---------------------------------------------------------------------------------------------------
if [[ -z ${ENGINE:-} ]]; then
  if command -v docker >/dev/null && docker info >/dev/null 2>&1; then ENGINE=docker; else ENGINE=podman; fi
fi
engine=("$ENGINE")
[[ $ENGINE == podman && -n ${PODMAN_RUNTIME:-} ]] && engine+=(--runtime "$PODMAN_RUNTIME")
build_opts=(--network host)
# Docker's image format keeps HEALTHCHECK, which the OCI format podman defaults to drops.
[[ $ENGINE == podman ]] && build_opts+=(--format docker)

passed=() failed=()
pass() { passed+=("$1"); printf 'PASS  %s\n' "$1"; }
fail() { failed+=("$1"); printf 'FAIL  %s\n' "$1"; }
check() {  # check DESCRIPTION COMMAND...: pass or fail on the command's status
  local what=$1; shift
  if "$@"; then pass "$what"; else fail "$what"; fi
}
die() { printf 'image-test: %s\n' "$*" >&2; exit 1; }
step() { printf '\n== %s\n' "$*"; }

work=$(mktemp -d /tmp/janus-image-test.XXXXXX)
chmod 0755 "$work"
mkdir -p "$work/config" "$work/data"
pg_bin=
containers=()
extra_env=()
sampler=

cleanup() {
  [[ -n $sampler ]] && { kill "$sampler" 2>/dev/null || true; }
  [[ ${KEEP:-} == 1 ]] && { echo "KEEP=1: containers, PostgreSQL and $work left running"; return; }
  for c in "${containers[@]}"; do "${engine[@]}" rm -f "$c" >/dev/null 2>&1 || true; done
  if [[ -n $pg_bin && -f $work/pg/data/postmaster.pid ]]; then
    as_pg "$pg_bin/pg_ctl" -D "$work/pg/data" -m fast stop >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

# ---- base images and build ------------------------------------------------------------------------------------
step "Building the images with $ENGINE"
if [[ -z ${JDK_IMAGE:-} || -z ${JRE_IMAGE:-} ]]; then
  JDK_IMAGE=eclipse-temurin:25-jdk-noble JRE_IMAGE=eclipse-temurin:25-jre-noble
  have() { "${engine[@]}" image inspect "$1" >/dev/null 2>&1 || timeout 120 "${engine[@]}" pull -q "$1" >/dev/null 2>&1; }
  if ! have "$JDK_IMAGE" || ! have "$JRE_IMAGE"; then
    echo "No registry answers for $JDK_IMAGE: making local base images from this machine's JDK"
    read -r JDK_IMAGE JRE_IMAGE < <(PODMAN_RUNTIME=${PODMAN_RUNTIME:-} docker/local-base.sh "$ENGINE")
  fi
fi
echo "JDK_IMAGE=$JDK_IMAGE JRE_IMAGE=$JRE_IMAGE"

services=(aggregator aggregation_job_creator aggregation_job_driver collection_job_driver garbage_collector key_rotator)
for binary in "${services[@]}" janus_cli; do
  target=service
  [[ $binary == janus_cli ]] && target=tool
  t0=$SECONDS
  # The first image runs the Maven build; the others reuse its cached stage.
  if "${engine[@]}" build "${build_opts[@]}" --target "$target" --build-arg BINARY="$binary" \
      --build-arg JDK_IMAGE="$JDK_IMAGE" --build-arg JRE_IMAGE="$JRE_IMAGE" \
      -t "janus-java/$binary:$tag" . >"$work/build-$binary.log" 2>&1; then
    pass "image janus-java/$binary builds ($((SECONDS - t0)) s)"
  else
    tail -30 "$work/build-$binary.log"
    fail "image janus-java/$binary builds"
    die "build failed; log above"
  fi
done

# ---- PostgreSQL -----------------------------------------------------------------------------------------------
step "Starting PostgreSQL on 127.0.0.1:$((port_base + 32))"
pg_port=$((port_base + 32))
# Debian keeps them out of PATH, in /usr/lib/postgresql/VERSION/bin; a pg_ctl on PATH may be a link to there.
for dir in "$(dirname "$(readlink -f "$(command -v pg_ctl || echo /nonexistent/x)")")" \
    $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
  [[ -x $dir/pg_ctl && -x $dir/initdb && -x $dir/psql ]] && { pg_bin=$dir; break; }
done
[[ -n $pg_bin ]] || die "no PostgreSQL binaries (pg_ctl, initdb, psql): apt-get install postgresql"
# PostgreSQL refuses to run as root.
if (( EUID == 0 )); then
  as_pg() { runuser -u postgres -- "$@"; }
else
  as_pg() { "$@"; }
fi
mkdir -p "$work/pg"
(( EUID == 0 )) && chown postgres: "$work/pg"
pg_password=$(head -c 18 /dev/urandom | base64 | tr '+/' '-_')
printf '%s\n' "$pg_password" >"$work/pg/pwfile"
(( EUID == 0 )) && chown postgres: "$work/pg/pwfile"
as_pg "$pg_bin/initdb" -D "$work/pg/data" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
  --pwfile="$work/pg/pwfile" >"$work/pg/initdb.log" 2>&1 || { cat "$work/pg/initdb.log"; die "initdb failed"; }
as_pg "$pg_bin/pg_ctl" -D "$work/pg/data" -l "$work/pg/server.log" -w start \
  -o "-h 127.0.0.1 -p $pg_port -k $work/pg -c max_connections=300" >/dev/null \
  || { cat "$work/pg/server.log"; die "PostgreSQL did not start"; }
psql_pg() { as_pg "$pg_bin/psql" -h "$work/pg" -p "$pg_port" -U postgres -v ON_ERROR_STOP=1 -qAt "$@"; }
psql_pg -c "CREATE ROLE janus LOGIN PASSWORD '$pg_password'"
psql_pg -c "CREATE DATABASE janus_leader OWNER janus"
psql_pg -c "CREATE DATABASE janus_helper OWNER janus"
export PGPASSWORD=$pg_password
pass "PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') runs with databases janus_leader, janus_helper"

# ---- configuration --------------------------------------------------------------------------------------------
leader_port=$((port_base + 80)) helper_port=$((port_base + 81))
declare -A health_port=([leader]=$((port_base + 1)) [helper]=$((port_base + 2)) [creator]=$((port_base + 3))
  [aggregation-driver]=$((port_base + 4)) [collection-driver]=$((port_base + 5)) [gc-leader]=$((port_base + 6))
  [gc-helper]=$((port_base + 7)) [rotator-leader]=$((port_base + 8)) [rotator-helper]=$((port_base + 9)))
declare -A binary_of=([leader]=aggregator [helper]=aggregator [creator]=aggregation_job_creator
  [aggregation-driver]=aggregation_job_driver [collection-driver]=collection_job_driver
  [gc-leader]=garbage_collector [gc-helper]=garbage_collector [rotator-leader]=key_rotator
  [rotator-helper]=key_rotator)
declare -A db_of=([helper]=janus_helper [gc-helper]=janus_helper [rotator-helper]=janus_helper)
roles=(leader helper creator aggregation-driver collection-driver gc-leader gc-helper rotator-leader rotator-helper)

common() {  # common ROLE: the keys every binary shares; /metrics on the health port (host network: fewer ports)
  cat <<EOF
database:
  url: "postgres://janus@127.0.0.1:$pg_port/${db_of[$1]:-janus_leader}"
  connection_pool_timeouts_s: 30
health_check_listen_address: "127.0.0.1:${health_port[$1]}"
metrics_config:
  exporter:
    prometheus:
      host: "127.0.0.1"
      port: ${health_port[$1]}
EOF
}
# Short intervals, as in quickstart-app's ConfigFiles, so a run takes minutes rather than hours.
job_driver='job_discovery_interval_s: 1
max_concurrent_job_workers: 4
worker_lease_duration_s: 60
worker_lease_clock_skew_allowance_s: 5
maximum_attempts_before_failure: 10
retry_initial_interval_ms: 200
retry_max_interval_ms: 2000
retry_max_elapsed_time_ms: 60000
batch_aggregation_shard_count: 8'
for role in "${roles[@]}"; do
  { common "$role"
    case $role in
      leader|helper)
        port=$leader_port; [[ $role == helper ]] && port=$helper_port
        printf 'listen_address: "127.0.0.1:%s"\nmax_upload_batch_size: 100\nmax_upload_batch_write_delay_ms: 50\n' "$port"
        printf 'batch_aggregation_shard_count: 8\ntask_cache_ttl_s: 5\nhpke_configs_refresh_interval: 5000\n' ;;
      creator)
        printf 'batch_aggregation_shard_count: 8\ntasks_update_frequency_s: 2\naggregation_job_creation_interval_s: 1\n'
        printf 'min_aggregation_job_size: 10\nmax_aggregation_job_size: 100\nlate_report_grace_period_units: 0\n' ;;
      aggregation-driver) printf '%s\n' "$job_driver" ;;
      collection-driver)
        printf '%s\n' "$job_driver"
        printf 'min_collection_job_retry_delay_s: 1\nmax_collection_job_retry_delay_s: 2\n' ;;
      gc-*) printf 'garbage_collection:\n  gc_frequency_s: 5\n' ;;
      # Kept running (frequency_s) so it is a service with a health check; it bootstraps the global keys.
      rotator-*) printf 'key_rotator:\n  frequency_s: 10\n  hpke: {}\n' ;;
    esac
  } >"$work/config/$role.yaml"
done
for side in leader helper; do
  printf 'database:\n  url: "postgres://janus@127.0.0.1:%s/janus_%s"\n' "$pg_port" "$side" >"$work/config/cli-$side.yaml"
done
chmod 0644 "$work/config/"*

cli() {  # cli [--name NAME] [-d] ARGS...: runs the janus_cli image on the host network
  local opts=()
  while [[ $1 == --name || $1 == -d ]]; do
    if [[ $1 == --name ]]; then opts+=(--name "$2"); containers+=("$2"); shift 2; else opts+=(-d); shift; fi
  done
  [[ " ${opts[*]} " == *" -d "* ]] || opts+=(--rm)
  "${engine[@]}" run "${opts[@]}" --network host -v "$work/config:/etc/janus:ro" -v "$work/data:/data:ro" \
    -e PGPASSWORD -e DATASTORE_KEYS -e AUTHORIZATION_BEARER_TOKEN -e HPKE_PRIVATE_KEY "janus-java/janus_cli:$tag" "$@"
}

# ---- migrations and provisioning ------------------------------------------------------------------------------
step "Migrating and provisioning with janus_cli"
for side in leader helper; do
  check "janus_cli migrate-database ($side)" \
    cli migrate-database --config-file "/etc/janus/cli-$side.yaml"
done
leader_keys=$(cli generate-datastore-key) helper_keys=$(cli generate-datastore-key)
b64url() { head -c "$1" /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n'; }
# Two tasks: the first for the main run, the second for the worst-case memory run at the end (a collected interval
# takes no more reports).
task_id=$(b64url 32) task2_id=$(b64url 32) verify_key=$(b64url 16) aggregator_token=$(b64url 16) collector_token=$(b64url 16)
cli hpke generate-keypair --id 1 >"$work/collector-key.yaml"
collector_config=$(sed -n 's/^# HpkeConfig (DAP encoding, base64url): //p' "$work/collector-key.yaml")
collector_private=$(sed -n 's/^private_key: *"\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' "$work/collector-key.yaml")
collector_public_yaml=$(sed -n '/^config:/,/^[^ ]/{/^  /p}' "$work/collector-key.yaml" | sed 's/^/  /')
[[ -n $collector_config && -n $collector_private && -n $collector_public_yaml ]] \
  || die "could not read janus_cli hpke generate-keypair output: $(cat "$work/collector-key.yaml")"
precision=3600 bits=8
task() {  # task ROLE PEER_PORT TASK_ID: one task of one side's tasks file; hpke_keys are generated per side
  cat <<EOF
- task_id: "$3"
  peer_aggregator_endpoint: "http://127.0.0.1:$2/"
  query_type: TimeInterval
  vdaf: !Prio3Sum
    bits: $bits
  role: $1
  vdaf_verify_key: "$verify_key"
  max_batch_query_count: 1
  task_expiration: null
  report_expiry_age: null
  min_batch_size: 1
  time_precision: $precision
  tolerable_clock_skew: 60
  collector_hpke_config:
$collector_public_yaml
  aggregator_auth_token:
    type: "Bearer"
    token: "$aggregator_token"
EOF
  [[ $1 == Leader ]] && printf '  collector_auth_token:\n    type: "Bearer"\n    token: "%s"\n' "$collector_token"
  return 0
}
{ task Leader "$helper_port" "$task_id"; task Leader "$helper_port" "$task2_id"; } >"$work/config/tasks-leader.yaml"
{ task Helper "$leader_port" "$task_id"; task Helper "$leader_port" "$task2_id"; } >"$work/config/tasks-helper.yaml"
chmod 0644 "$work/config/"*
DATASTORE_KEYS=$leader_keys check "janus_cli provision-tasks (Leader)" \
  cli provision-tasks --generate-missing-parameters --config-file /etc/janus/cli-leader.yaml /etc/janus/tasks-leader.yaml
DATASTORE_KEYS=$helper_keys check "janus_cli provision-tasks (Helper)" \
  cli provision-tasks --generate-missing-parameters --config-file /etc/janus/cli-helper.yaml /etc/janus/tasks-helper.yaml

# ---- services -------------------------------------------------------------------------------------------------
step "Starting the services (memory limit $memory each)"
# The engine's complaints go to engine.log: podman without systemd logs an error for every health check timer it
# cannot create, remove or start; this script runs the HEALTHCHECK itself.
start_service() {  # start_service ROLE
  local role=$1 keys=$leader_keys
  [[ $role == helper || $role == gc-helper ]] && keys=$helper_keys
  containers+=("$prefix-$role")
  # Read-only root and a writable /tmp, as deploy/kubernetes runs them.
  "${engine[@]}" run -d --name "$prefix-$role" --network host --memory "$memory" --read-only --tmpfs /tmp \
    -v "$work/config/$role.yaml:/etc/janus/config.yaml:ro" -e CONFIG_FILE=/etc/janus/config.yaml \
    -e PGPASSWORD -e DATASTORE_KEYS="$keys" -e HEALTH_CHECK_PORT="${health_port[$role]}" "${extra_env[@]}" \
    "janus-java/${binary_of[$role]}:$tag" >/dev/null 2>>"$work/engine.log"
}
healthy() {  # healthy CONTAINER: runs the image's HEALTHCHECK once
  if [[ $ENGINE == podman ]]; then
    "${engine[@]}" healthcheck run "$1" >/dev/null 2>&1
  else
    # Docker runs the check on its own schedule; exec runs the same command now.
    "${engine[@]}" exec "$1" /app/bin/healthcheck
  fi
}
wait_healthy() {  # wait_healthy CONTAINER [SECONDS]
  local deadline=$((SECONDS + ${2:-180}))
  until healthy "$1"; do
    (( SECONDS < deadline )) || return 1
    [[ $("${engine[@]}" inspect --format '{{.State.Running}}' "$1") == true ]] || return 1
    sleep 2
  done
}
for role in "${roles[@]}"; do start_service "$role"; done
for role in "${roles[@]}"; do
  c=$prefix-$role
  if wait_healthy "$c"; then
    pass "$c (${binary_of[$role]}): HEALTHCHECK passes"
  else
    "${engine[@]}" logs --tail 20 "$c"
    fail "$c (${binary_of[$role]}): HEALTHCHECK passes"
  fi
  uid=$("${engine[@]}" exec "$c" id -u) || uid=?
  check "$c runs as uid 10001 (uid $uid)" test "$uid" = 10001
  # The base's Java 22+ and libcrypto 3 put HPKE's X25519 on OpenSSL (docs/DEPLOYING.md, "HPKE speed").
  x25519=$("${engine[@]}" logs "$c" 2>&1 | grep -m1 -o 'HPKE X25519: [^(]*[^( ]' || true)
  check "$c takes X25519 from OpenSSL ($x25519)" grep -q OpenSSL <<<"$x25519"
done
(( ${#failed[@]} == 0 )) || die "services did not start: ${failed[*]}"

# Memory, read from the host: the JVM is the container's PID 1. VmRSS is its resident set now, VmHWM its peak; the
# committed heap comes from the binary's /metrics. What is resident beyond the heap (metaspace, code cache, thread
# stacks, GC and native buffers) is what a MaxRAMPercentage must leave room for under the limit.
pid_of() { "${engine[@]}" inspect --format '{{.State.Pid}}' "$prefix-$1" 2>/dev/null; }
status_kib() {  # status_kib ROLE FIELD: a /proc/PID/status field of the container's JVM, in KiB
  local pid; pid=$(pid_of "$1") && awk -v f="$2:" '$1 == f { print $2 }' "/proc/$pid/status" 2>/dev/null
}
heap_kib() {  # heap_kib ROLE: committed heap, KiB
  curl -sf "http://127.0.0.1:${health_port[$1]}/metrics" \
    | awk '/^jvm_memory_committed_bytes\{area="heap"/ { s += $NF } END { printf "%.0f", s / 1024 }'
}
cgroup_peak_mib() {  # cgroup_peak_mib ROLE: the container's peak memory use (cgroup v2 memory.peak, v1 max usage)
  "${engine[@]}" exec "$prefix-$1" sh -c 'cat /sys/fs/cgroup/memory.peak 2>/dev/null \
    || cat /sys/fs/cgroup/memory/memory.max_usage_in_bytes' | awk '{ printf "%.0f", $1 / 1048576 }'
}
sample_memory() {  # every 5 s until killed: "ROLE RSS_KIB HEAP_KIB" per running service
  local role rss heap
  while :; do
    for role in "${roles[@]}"; do
      rss=$(status_kib "$role" VmRSS) && heap=$(heap_kib "$role") && [[ -n $rss && -n $heap ]] \
        && echo "$role $rss $heap"
    done >>"$work/memory-samples"
    sleep 5
  done
}
record_peak() {  # record_peak ROLE: keeps the highest VmHWM and cgroup peak seen; a restart starts both afresh
  local hwm cg
  hwm=$(status_kib "$1" VmHWM) && (( hwm / 1024 > ${peak[$1]:-0} )) && peak[$1]=$((hwm / 1024))
  cg=$(cgroup_peak_mib "$1") && (( cg > ${cgroup_peak[$1]:-0} )) && cgroup_peak[$1]=$cg
  return 0
}
# A clean stop: the exit within the grace period (checked by the caller) and no SEVERE line in the container's last
# run. The harness's own lines about the stop ("shutdown requested; stopping BINARY", "BINARY stopped") are not
# required: they are often lost, because the JDK's logging closes its handlers in a shutdown hook of its own.
stopped_cleanly() {  # stopped_cleanly CONTAINER BINARY
  "${engine[@]}" logs "$1" 2>&1 | awk -v m="starting $2 with" \
    'index($0, m) { bad = 0; next } /"level":"SEVERE"/ { bad = 1 } END { exit bad }'
}
declare -A idle peak cgroup_peak
sleep 10  # let start-up work (class loading, JIT) settle before the idle reading
for role in "${roles[@]}"; do idle[$role]=$(( $(status_kib "$role" VmRSS) / 1024 )); done
sample_memory & sampler=$!

# ---- upload, interrupted upload, stops, collection ------------------------------------------------------------
leader_url=http://127.0.0.1:$leader_port/ helper_url=http://127.0.0.1:$helper_port/
upload_args=(upload --leader "$leader_url" --helper "$helper_url" --time-precision "$precision"
  --vdaf sum --bits "$bits" --max-in-flight 64 --task-id)
first_time=$(( $(date +%s) / precision * precision ))

step "Uploading $reports reports with the janus_cli image"
awk -v n="$reports" 'BEGIN { for (i = 0; i < n; i++) print (i * 37) % 256 }' >"$work/data/measurements-a"
expected_sum=$(awk '{ s += $1 } END { print s }' "$work/data/measurements-a")
t0=$SECONDS
check "upload of $reports reports" cli "${upload_args[@]}" "$task_id" --measurements-file /data/measurements-a
echo "  $reports reports in $((SECONDS - t0)) s"

stop_service() {  # stop_service ROLE: SIGTERM, then check the time taken, the exit status and the log
  local role=$1 c=$prefix-$1 t0 took status
  record_peak "$role"
  t0=$(date +%s%N)
  "${engine[@]}" stop -t "$grace" "$c" >/dev/null 2>>"$work/engine.log"
  took=$(( ($(date +%s%N) - t0) / 1000000 ))
  status=$("${engine[@]}" inspect --format '{{.State.ExitCode}}' "$c")
  check "$c (${binary_of[$role]}) stops on SIGTERM in ${took} ms < ${grace} s, exit status $status" \
    test "$took" -lt $((grace * 1000)) -a \( "$status" = 0 -o "$status" = 143 \)
  check "$c logs no error in the run it stopped" stopped_cleanly "$c" "${binary_of[$role]}"
}
restart_service() {  # restart_service ROLE
  "${engine[@]}" start "$prefix-$1" >/dev/null 2>>"$work/engine.log"
  check "$prefix-$1 restarts and is healthy" wait_healthy "$prefix-$1"
}

step "Stopping the Leader with SIGTERM in the middle of an upload of $interrupted_reports reports"
# Every measurement of this upload is 7, so the exact aggregate follows from how many uploads were acknowledged,
# whichever ones failed while the Leader was down.
awk -v n="$interrupted_reports" 'BEGIN { for (i = 0; i < n; i++) print 7 }' >"$work/data/measurements-b"
stored() { psql_pg -d janus_leader -c 'SELECT count(*) FROM client_reports'; }
before=$(stored)
cli -d --name "$prefix-upload" "${upload_args[@]}" "$task_id" --measurements-file /data/measurements-b >/dev/null
deadline=$((SECONDS + 120))
until (( $(stored) > before + interrupted_reports / 5 )) || (( SECONDS > deadline )); do sleep 0.5; done
stop_service leader
restart_service leader
upload_status=$("${engine[@]}" wait "$prefix-upload")
upload_log=$("${engine[@]}" logs "$prefix-upload" 2>&1 | tr '\r' '\n')
failed_uploads=$(sed -n 's/^janus_cli: \([0-9]*\) of [0-9]* measurement(s) failed to upload$/\1/p' <<<"$upload_log")
failed_uploads=${failed_uploads:-0}
acknowledged=$((interrupted_reports - failed_uploads))
echo "  upload exit status $upload_status: $acknowledged acknowledged, $failed_uploads failed while the Leader was down"
check "interrupted upload: its exit status agrees with the failures it reported" \
  test \( "$upload_status" = 0 -a "$failed_uploads" = 0 \) -o \( "$upload_status" = 1 -a "$failed_uploads" -gt 0 \)
expected_count=$((reports + acknowledged)) expected_sum=$((expected_sum + 7 * acknowledged))

step "Stopping and restarting every other service with SIGTERM"
for role in helper creator aggregation-driver collection-driver gc-leader gc-helper rotator-leader rotator-helper; do
  stop_service "$role"
  restart_service "$role"
done

step "Collecting with the janus_cli image"
collect_exact() {  # collect_exact TASK_ID FIRST_TIME EXPECTED_COUNT EXPECTED_SUM
  local last_time collected got_count got_sum t0=$SECONDS
  last_time=$(( $(date +%s) / precision * precision ))
  collected=$(AUTHORIZATION_BEARER_TOKEN=$collector_token HPKE_PRIVATE_KEY=$collector_private \
    cli collect --task-id "$1" --leader "$leader_url" --vdaf sum --bits "$bits" \
      --hpke-config "$collector_config" --batch-interval-start "$2" \
      --batch-interval-duration $((last_time - $2 + precision)) --max-wait 900 2>&1) || true
  printf '%s\n' "$collected"
  echo "  collected in $((SECONDS - t0)) s"
  got_count=$(sed -n 's/^report_count: //p' <<<"$collected")
  got_sum=$(sed -n 's/^aggregate_result: //p' <<<"$collected")
  check "collection is exact: report_count $got_count = $3, aggregate_result $got_sum = $4" \
    test "$got_count" = "$3" -a "$got_sum" = "$4"
}
collect_exact "$task_id" "$first_time" "$expected_count" "$expected_sum"

# ---- memory and image sizes -----------------------------------------------------------------------------------
memory_table() {  # the memory each service used since the sampler started; idle RSS only for the first run
  printf '%-28s %-24s %9s %9s %9s %9s %9s\n' container binary "idle RSS" "peak RSS" "cg peak" "max heap" "max rest"
  local role heap rest
  for role in "${roles[@]}"; do
    record_peak "$role"
    # "max rest": the most resident memory beyond the committed heap in any sample.
    read -r heap rest < <(awk -v r="$role" '$1 == r { if ($3 > h) h = $3; if ($2 - $3 > m) m = $2 - $3 }
      END { printf "%.0f %.0f\n", h / 1024, m / 1024 }' "$work/memory-samples")
    printf '%-28s %-24s %6s MiB %6s MiB %6s MiB %6s MiB %6s MiB\n' "$prefix-$role" "${binary_of[$role]}" \
      "${idle[$role]:--}" "${peak[$role]}" "${cgroup_peak[$role]}" "$heap" "$rest"
    check "$prefix-$role peak RSS ${peak[$role]} MiB stays under the $memory limit, never OOM-killed" \
      test "${peak[$role]}" -lt "$memory_mib" -a "$("${engine[@]}" inspect --format '{{.State.OOMKilled}}' "$prefix-$role")" = false
  done
}

step "Memory (limit $memory) and image sizes"
kill "$sampler"
memory_table
java_opts=$("${engine[@]}" image inspect --format '{{range .Config.Env}}{{println .}}{{end}}' "janus-java/aggregator:$tag" \
  | sed -n 's/^JAVA_OPTS=//p')
echo "JAVA_OPTS in the images: $java_opts"
for binary in "${services[@]}" janus_cli; do
  printf '%-44s %s\n' "janus-java/$binary:$tag" "$("${engine[@]}" image inspect --format '{{.Size}}' \
    "janus-java/$binary:$tag" | awk '{ printf "%.0f MB", $1 / 1000000 }')"
done

# ---- worst case: every heap at its maximum --------------------------------------------------------------------
# Under this load the heaps stay far below their maximum, so the run above says little about the limit. Here every
# service starts with its heap committed and touched at the maximum the images allow (InitialRAMPercentage equal to
# MaxRAMPercentage, AlwaysPreTouch): resident memory is then the heap's maximum plus everything else, the most the
# JVM can hold, and it must stay under the container's limit while reports are uploaded, aggregated and collected.
max_pct=$(sed -n 's/.*-XX:MaxRAMPercentage=\([0-9.]*\).*/\1/p' <<<"$java_opts")
step "Worst case: every service with its heap at MaxRAMPercentage=$max_pct of $memory, committed and touched"
for role in "${roles[@]}"; do
  "${engine[@]}" stop -t "$grace" "$prefix-$role" >/dev/null 2>>"$work/engine.log"
  "${engine[@]}" rm "$prefix-$role" >/dev/null 2>>"$work/engine.log"
done
extra_env=(-e "JAVA_OPTS=$java_opts -XX:InitialRAMPercentage=$max_pct -XX:+AlwaysPreTouch")
unset peak cgroup_peak idle
declare -A peak cgroup_peak idle
mv "$work/memory-samples" "$work/memory-samples-first"
for role in "${roles[@]}"; do start_service "$role"; done
for role in "${roles[@]}"; do check "$prefix-$role starts with its heap at the maximum" wait_healthy "$prefix-$role"; done
sample_memory & sampler=$!
awk -v n="$interrupted_reports" 'BEGIN { for (i = 0; i < n; i++) print 3 }' >"$work/data/measurements-c"
first_time=$(( $(date +%s) / precision * precision ))
check "upload of $interrupted_reports reports to the second task" \
  cli "${upload_args[@]}" "$task2_id" --measurements-file /data/measurements-c
collect_exact "$task2_id" "$first_time" "$interrupted_reports" $((3 * interrupted_reports))
kill "$sampler"
memory_table

step "Summary"
echo "${#passed[@]} passed, ${#failed[@]} failed"
for f in "${failed[@]}"; do echo "FAILED: $f"; done
(( ${#failed[@]} == 0 ))
