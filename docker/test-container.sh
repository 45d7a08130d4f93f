#!/usr/bin/env bash
# docker/test-container.sh (`make test-container`): build the CPU image from this working tree and check the
# container end to end, with docker or podman, with or without a reachable container registry.
#
#   1. engine: docker when its daemon answers, else podman (installed from Debian's packages when missing and
#      run as root); CLINQA_CT_ENGINE=docker|podman chooses.
#   2. base: docker.io/library/python:3.11-slim when the engine has it or can pull it; otherwise a local
#      stand-in (Debian bookworm by debootstrap + python3.11 in a venv at /usr/local), passed as the build
#      argument PYTHON_IMAGE. The recipe (and why each step) follows ../shared/tools/container-smoke.sh.
#   3. image: `build --target cpu` of this directory. A torch CPU wheel in $WHEELS_DIR and the host's CA bundle
#      go to docker/build-pip/ (pip settings mounted for the build's pip steps only, never in the image).
#   4. SQLite run (the image's defaults, a fresh /data volume, CLINQA_PORT=$PORT, not 8000): first start
#      migrates, builds the index, exports the ONNX model; /readyz; 401 without a key; a key from
#      `clinqa keys create`; a chat citing metformin's dosage; a patient imported with `clinqa records import`
#      and a chat about that patient; the image's health check on $CLINQA_PORT; nothing written outside /data;
#      restart: the index and the model export are reused; SIGTERM: exit 0.
#   5. PostgreSQL replica (like docker-compose.yml: 2 workers; a PostgreSQL from Debian's packages on
#      127.0.0.1 via .ci/postgres.sh): a rebuild job builds the index into a volume of its own; a new container
#      mounts it read-only at /data/index over the SQLite run's /data: migrated, no index built, model export
#      reused, key, chat, patient import and chat, health check; the job again while it serves, until both
#      workers answer with the new version; SIGTERM.
#
# Environment [defaults]:
#   CLINQA_CT_ENGINE [auto]           docker | podman
#   CLINQA_CT_PYTHON_IMAGE []         base image to use as it is (skips the pull / stand-in logic)
#   CLINQA_CT_OFFLINE []              1: do not try to pull the base image, build the stand-in
#   CLINQA_CT_CONTEXT [this repository]  the build context (e.g. a clean `git archive` of a commit elsewhere)
#   CLINQA_CT_IMAGE [localhost/clinqa:cpu-test]
#   CLINQA_CT_DB [both]               both | sqlite | postgres
#   CLINQA_CT_PORT [18470]            host network: the SQLite run listens here, the PostgreSQL run on +1
#   CLINQA_CT_PG_PORT [54349]         the throw-away PostgreSQL server (.ci/postgres.sh)
#   CLINQA_CT_WORK [/var/tmp/clinqa-test-container]  logs, podman settings, stand-in rootfs
#   CLINQA_CT_TIMEOUT [2700]          seconds for everything; CLINQA_CT_BUILD_TIMEOUT [1800] for the build;
#   CLINQA_CT_READY_TIMEOUT [900]     seconds for /readyz after a start (a first start encodes every chunk the
#                                     shipped vector cache lacks: minutes when corpora/ changed without it)
#   CLINQA_CT_MIN_FREE_GB [6]         free space the build needs under /var/tmp and the engine's storage
#   CLINQA_CT_NO_CACHE=1              rebuild every layer; CLINQA_CT_KEEP=1 keep the last container and volume
#   WHEELS_DIR [/opt/wheels]          torch-<version>+cpu-*.whl here is used instead of PyTorch's index
#   CLINQA_CT_CA_BUNDLE [/etc/ssl/certs/ca-certificates.crt]  given to pip in the build (proxies with own CAs)
set -Eeuo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
CONTEXT=$(cd "${CLINQA_CT_CONTEXT:-$ROOT}" && pwd)

ENGINE=${CLINQA_CT_ENGINE:-auto}
IMAGE=${CLINQA_CT_IMAGE:-localhost/clinqa:cpu-test}
DB=${CLINQA_CT_DB:-both}
PORT=${CLINQA_CT_PORT:-18470}
PG_PORT=${CLINQA_CT_PG_PORT:-54349}
WORK=${CLINQA_CT_WORK:-/var/tmp/clinqa-test-container}
TOTAL_TIMEOUT=${CLINQA_CT_TIMEOUT:-2700}
BUILD_TIMEOUT=${CLINQA_CT_BUILD_TIMEOUT:-1800}
READY_TIMEOUT=${CLINQA_CT_READY_TIMEOUT:-900}
WHEELS_DIR=${WHEELS_DIR:-/opt/wheels}
CA_BUNDLE=${CLINQA_CT_CA_BUNDLE:-/etc/ssl/certs/ca-certificates.crt}
PY_IMAGE=docker.io/library/python:3.11-slim
STANDIN=localhost/clinqa-python-standin:3.11-slim
DEBIAN_IMAGE=localhost/clinqa-debian-standin:bookworm
MIRROR=${CLINQA_CT_DEBIAN_MIRROR:-http://deb.debian.org/debian}
CTR=clinqa-ct
VOL=clinqa-ct-data
IDX_VOL=clinqa-ct-index

# The whole run is bounded: re-exec under timeout(1) once (SIGTERM, then SIGKILL 60 s later).
if [ -z "${_CLINQA_CT_BOUNDED:-}" ]; then
    export _CLINQA_CT_BOUNDED=1
    exec timeout -k 60 "$TOTAL_TIMEOUT" bash "$0" "$@"
fi

mkdir -p "$WORK/logs" "$WORK/etc"
T0=$SECONDS
STEP=start
FAILS=0
SUMMARY=()
say() { printf '[test-container %4ds] %s\n' "$((SECONDS - T0))" "$*"; }
die() { say "FAILED: $*"; exit 1; }
note() { SUMMARY+=("$*"); say "   $*"; }
step() { STEP=$1; say "== $1"; }
logtail() { [ -f "$1" ] && { echo "----- last lines of $1"; tail -n "${2:-40}" "$1" | cut -c1-300; echo "-----"; }; return 0; }
check() {  # check "what" command...: one verified property; failures are counted, the run goes on
    local what=$1; shift
    if "$@"; then say "   ok   $what"; else say "   FAIL $what"; FAILS=$((FAILS + 1)); fi
}
as_root() { [ "$(id -u)" = 0 ]; }
apt_install() {
    as_root || die "need root to install $* (or install them first)"
    say "   apt-get install $* (log: $WORK/logs/apt.log)"
    timeout 900 apt-get update -qq >>"$WORK/logs/apt.log" 2>&1 || { logtail "$WORK/logs/apt.log"; die "apt-get update"; }
    DEBIAN_FRONTEND=noninteractive timeout 900 apt-get install -y -q --no-install-recommends \
        -o DPkg::Lock::Timeout=300 "$@" >>"$WORK/logs/apt.log" 2>&1 || { logtail "$WORK/logs/apt.log"; die "apt-get install $*"; }
}

# ------------------------------------------------------------------------------------------- clean up
PG_STARTED=
cleanup() {
    [ -n "${E:-}" ] || return 0
    if [ -n "${CLINQA_CT_KEEP:-}" ]; then
        say "CLINQA_CT_KEEP=1: container $CTR and volume $VOL left in place"
    else
        $E rm -f "$CTR" >/dev/null 2>&1 || true
        $E volume rm -f "$VOL" "$IDX_VOL" >/dev/null 2>&1 || true
    fi
    if [ -n "$PG_STARTED" ]; then clinqa_pg_stop || true; PG_STARTED=; fi
}
on_exit() {
    local rc=$?
    trap - EXIT INT TERM
    cleanup
    if [ "$rc" = 0 ]; then
        say "OK: the image builds and its container passed every check in $((SECONDS - T0)) s"
    else
        say "exit $rc after $((SECONDS - T0)) s (step: $STEP; logs: $WORK/logs)"
    fi
    if [ "${#SUMMARY[@]}" -gt 0 ]; then say "summary:"; printf '    %s\n' "${SUMMARY[@]}"; fi
    exit "$rc"
}
trap on_exit EXIT
trap 'exit 143' TERM
trap 'exit 130' INT

# ------------------------------------------------------------------------------------------- 1. engine
step "1/5 container engine"
if [ "$ENGINE" = auto ]; then
    if command -v docker >/dev/null 2>&1 && timeout 20 docker info >/dev/null 2>&1; then ENGINE=docker
    elif command -v podman >/dev/null 2>&1; then ENGINE=podman
    else
        say "   no docker daemon answers and podman is missing: installing podman"
        ENGINE=podman
    fi
fi
case "$ENGINE" in
    podman)
        command -v podman >/dev/null 2>&1 || apt_install podman runc
        # crun 1.8.1 (Debian 12) refuses a hybrid cgroup layout; runc is the fallback probed below
        command -v runc >/dev/null 2>&1 || ! as_root || apt_install runc
        ;;
    docker) ;;
    *) die "CLINQA_CT_ENGINE must be docker or podman, not $ENGINE" ;;
esac
E=$ENGINE
say "   $($E --version)"

# Podman without systemd (containers, CI machines): cgroupfs, events in a file, the host's network.
# Which runtime and rlimits can start a container is probed once a base image exists (probe_podman).
if [ "$E" = podman ]; then
    export CONTAINERS_CONF=$WORK/etc/containers.conf
    [ -f "$CONTAINERS_CONF" ] || printf '[containers]\nnetns = "host"\n[engine]\nevents_logger = "file"\ncgroup_manager = "cgroupfs"\n' >"$CONTAINERS_CONF"
fi
probe_podman() {  # $1: an image; writes the first runtime/ulimit combination that starts a container
    local rt lim nofile nproc err probe=$WORK/etc/containers-probe.conf
    nofile=$(ulimit -Hn); nproc=$(ulimit -Hu)
    [ "$nofile" = unlimited ] && nofile=1048576
    [ "$nproc" = unlimited ] && nproc=1048576
    printf '[containers]\nnetns = "host"\n[engine]\ncgroup_manager = "cgroupfs"\nevents_logger = "file"\n' >"$probe"
    : >"$WORK/logs/probe.log"
    for rt in crun runc; do
        command -v "$rt" >/dev/null || continue
        # podman asks for RLIMIT_NOFILE/NPROC 1048576: without CAP_SYS_RESOURCE and a lower hard limit that
        # is "setrlimit `RLIMIT_NOFILE`: Operation not permitted"; then lower values are tried
        for lim in "" "$nofile:$nproc" "$nofile:65536" "$nofile:32768" "$nofile:16384" "$nofile:4096"; do
            local args=(--runtime "$rt")
            [ -n "$lim" ] && args+=(--ulimit "nofile=${lim%%:*}:${lim%%:*}" --ulimit "nproc=${lim##*:}:${lim##*:}")
            if err=$(CONTAINERS_CONF=$probe timeout 120 podman run --rm --pull=never "${args[@]}" "$1" true 2>&1); then
                {
                    printf '[containers]\nnetns = "host"\n'
                    [ -n "$lim" ] && echo "default_ulimits = [\"nofile=${lim%%:*}:${lim%%:*}\", \"nproc=${lim##*:}:${lim##*:}\"]"
                    printf '[engine]\nruntime = "%s"\ncgroup_manager = "cgroupfs"\nevents_logger = "file"\n' "$rt"
                } >"$CONTAINERS_CONF"
                say "   podman: runtime $rt, ulimits ${lim:-the defaults}"
                return 0
            fi
            echo "fail: ${args[*]}: $(echo "$err" | tail -n 1)" >>"$WORK/logs/probe.log"
        done
    done
    cat "$WORK/logs/probe.log"; return 1
}

# ------------------------------------------------------------------------------------------- 2. base image
step "2/5 base image"
t=$SECONDS
if [ -n "${CLINQA_CT_PYTHON_IMAGE:-}" ]; then
    BASE=$CLINQA_CT_PYTHON_IMAGE
    say "   $BASE (CLINQA_CT_PYTHON_IMAGE)"
elif $E image inspect "$PY_IMAGE" >/dev/null 2>&1; then
    BASE=$PY_IMAGE
    say "   $BASE (present)"
elif [ -z "${CLINQA_CT_OFFLINE:-}" ] && timeout 180 $E pull -q "$PY_IMAGE" >"$WORK/logs/pull.log" 2>&1; then
    BASE=$PY_IMAGE
    say "   $BASE (pulled)"
else
    [ -n "${CLINQA_CT_OFFLINE:-}" ] || say "   cannot pull $PY_IMAGE ($(tail -n 1 "$WORK/logs/pull.log" | cut -c1-160)): local stand-in"
    BASE=$STANDIN
    if $E image inspect "$STANDIN" >/dev/null 2>&1; then
        say "   $STANDIN (present)"
    else
        if ! $E image inspect "$DEBIAN_IMAGE" >/dev/null 2>&1; then
            as_root || die "need root for debootstrap (or set CLINQA_CT_PYTHON_IMAGE)"
            command -v debootstrap >/dev/null 2>&1 || apt_install debootstrap
            rm -rf "$WORK/rootfs"
            say "   debootstrap --variant=minbase bookworm (log: logs/debootstrap.log)"
            timeout 900 debootstrap --variant=minbase --include=ca-certificates,netbase,tzdata bookworm "$WORK/rootfs" "$MIRROR" \
                >"$WORK/logs/debootstrap.log" 2>&1 || { logtail "$WORK/logs/debootstrap.log"; die "debootstrap"; }
            printf 'deb %s bookworm main\ndeb %s bookworm-updates main\ndeb http://deb.debian.org/debian-security bookworm-security main\n' \
                "$MIRROR" "$MIRROR" >"$WORK/rootfs/etc/apt/sources.list"
            rm -rf "$WORK"/rootfs/var/cache/apt/archives/*.deb "$WORK"/rootfs/var/lib/apt/lists/*
            tar -C "$WORK/rootfs" --numeric-owner -c . | $E import --change 'ENV LANG=C.UTF-8' --change 'CMD ["/bin/bash"]' \
                - "$DEBIAN_IMAGE" >"$WORK/logs/import.log" 2>&1 || { logtail "$WORK/logs/import.log"; die "import of the rootfs"; }
            rm -rf "$WORK/rootfs"
        fi
        [ "$E" = podman ] && { probe_podman "$DEBIAN_IMAGE" || die "no runtime/ulimit combination starts a container"; }
        # python:3.11-slim's layout: /usr/local/bin/{python,python3,pip}; root's pip installs go to /usr/local
        mkdir -p "$WORK/standin"
        cat >"$WORK/standin/Containerfile" <<EOF
FROM $DEBIAN_IMAGE
ENV LANG=C.UTF-8 PATH=/usr/local/bin:/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin
RUN apt-get update && apt-get -y upgrade \\
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \\
      python3.11 python3.11-venv ca-certificates netbase tzdata \\
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/archives/*.deb \\
 && python3.11 -m venv /usr/local && python -c "import ssl, sqlite3, venv" && rm -rf /root/.cache
ENV PYTHON_VERSION=3.11
CMD ["python3"]
EOF
        say "   building $STANDIN (log: logs/standin.log)"
        fmt=(); [ "$E" = podman ] && fmt=(--format docker --pull=never)
        timeout 900 $E build "${fmt[@]}" --network host -t "$STANDIN" "$WORK/standin" >"$WORK/logs/standin.log" 2>&1 \
            || { logtail "$WORK/logs/standin.log"; die "stand-in build"; }
    fi
fi
if [ "$E" = podman ] && ! grep -q '^runtime' "$CONTAINERS_CONF"; then
    probe_podman "$BASE" || die "no runtime/ulimit combination starts a container"
fi
note "base image: $BASE ($((SECONDS - t)) s)"

# ------------------------------------------------------------------------------------------- 3. build
step "3/5 build $IMAGE (--target cpu) from $CONTEXT"
build_args=(--build-arg "PYTHON_IMAGE=$BASE")  # VARIANT: its default (cpu), as in a plain `docker build .`
# docker/build-pip/: pip settings for this machine, bind-mounted in the build (see its README)
BP=$CONTEXT/docker/build-pip
find "$BP" -mindepth 1 -maxdepth 1 ! -name README.md ! -name .gitignore -exec rm -rf {} +
conf="[global]"
[ -f "$CA_BUNDLE" ] && { cp "$CA_BUNDLE" "$BP/ca.crt"; conf+=$'\ncert = /tmp/build-pip/ca.crt'; }
torch_req=$(sed -n 's/^ARG TORCH_REQUIREMENT=\(torch==[0-9][0-9.]*\).*/\1/p' "$CONTEXT/Dockerfile" | head -n 1)
wheels=("$WHEELS_DIR"/torch-"${torch_req#torch==}"+cpu-cp311-*.whl)
if [ -n "$torch_req" ] && [ -f "${wheels[0]}" ]; then
    mkdir -p "$BP/wheels"
    for w in "${wheels[@]}"; do ln "$w" "$BP/wheels/" 2>/dev/null || cp "$w" "$BP/wheels/"; done
    conf+=$'\nfind-links = /tmp/build-pip/wheels'
    # torch from pip's indexes + find-links: the local +cpu wheel ranks above PyPI's same-version CUDA build
    build_args+=(--build-arg TORCH_INDEX_URL=)
    say "   $torch_req: the CPU wheel from $WHEELS_DIR"
fi
printf '%s\nretries = 2\ntimeout = 60\n' "$conf" >"$BP/pip.conf"
opts=(--target cpu --network host -t "$IMAGE")
[ "$E" = podman ] && opts+=(--format docker --pull=never)  # docker format: the OCI one drops HEALTHCHECK
[ -n "${CLINQA_CT_NO_CACHE:-}" ] && opts+=(--no-cache)
[ "$E" = docker ] && export DOCKER_BUILDKIT=1
[ "$E" = podman ] && { podman ps -a -q --external 2>/dev/null | xargs -r podman rm -f >/dev/null 2>&1 || true; }  # a killed build's leftovers
# The build writes each layer twice (a blob under /var/tmp, then the engine's storage): a full disk fails late
# and obscurely ("committing container ... no space left on device"), so say it first.
need_kb=$(( ${CLINQA_CT_MIN_FREE_GB:-6} * 1024 * 1024 ))
for dir in /var/tmp "$($E info --format '{{.Store.GraphRoot}}' 2>/dev/null || echo /var/lib/docker)"; do
    [ -d "$dir" ] || continue
    free_kb=$(df -Pk "$dir" | awk 'NR == 2 {print $4}')
    [ "$free_kb" -ge "$need_kb" ] || die "only $((free_kb / 1024)) MiB free under $dir; the build needs about \
${CLINQA_CT_MIN_FREE_GB:-6} GiB (CLINQA_CT_MIN_FREE_GB). Old test images: $E images; $E image prune"
done
old_id=$($E image inspect --format '{{.Id}}' "$IMAGE" 2>/dev/null || true)
say "   $E build (log: $WORK/logs/build.log)"
t=$SECONDS
timeout "$BUILD_TIMEOUT" $E build "${opts[@]}" "${build_args[@]}" "$CONTEXT" >"$WORK/logs/build.log" 2>&1 \
    || { logtail "$WORK/logs/build.log" 60; die "build (see $WORK/logs/build.log)"; }
BUILD_S=$((SECONDS - t))
# The image this tag named before is superseded (2-3 GB each); repeated runs would otherwise fill the disk.
new_id=$($E image inspect --format '{{.Id}}' "$IMAGE")
if [ -n "$old_id" ] && [ "$old_id" != "$new_id" ]; then
    $E rmi "$old_id" >/dev/null 2>&1 && say "   removed the superseded image ${old_id:0:12}" || true
fi
size=$($E image inspect --format '{{.Size}}' "$IMAGE")
note "image $IMAGE: $(numfmt --to=si "$size")B ($size bytes), built in $BUILD_S s"
ctx_note=$(grep -m1 -iE 'transferring context' "$WORK/logs/build.log" || true)
[ -z "$ctx_note" ] || say "   $ctx_note"

# ------------------------------------------------------------------------------------------- helpers
code_of() { curl -s -m 120 -o "${OUT:-/dev/null}" -w '%{http_code}' "$@" || true; }
json_ok() { python3 -c "import json, sys; d = json.load(open(sys.argv[1])); sys.exit(0 if ($2) else 1)" "$1"; }
logs_of() { $E logs "$CTR" >"$WORK/logs/container.log" 2>&1 || true; }
count_in_log() { grep -c -- "$1" "$WORK/logs/container.log" || true; }
wait_ready() {  # $1: label; GET /readyz until 200 while the container runs; sets READY_S
    local t=$SECONDS code
    while [ $((SECONDS - t)) -lt "$READY_TIMEOUT" ]; do
        code=$(curl -s -m 5 -o "$WORK/readyz.json" -w '%{http_code}' "$BASE_URL/readyz" || true)
        if [ "$code" = 200 ]; then READY_S=$((SECONDS - t)); note "$1: /readyz 200 after $READY_S s"; return 0; fi
        if [ "$($E inspect --format '{{.State.Running}}' "$CTR" 2>/dev/null)" != true ]; then
            logs_of; logtail "$WORK/logs/container.log"; die "$1: the container exited before it was ready"
        fi
        sleep 1
    done
    logs_of; logtail "$WORK/logs/container.log"; die "$1: /readyz not 200 within $READY_TIMEOUT s (last: $code)"
}
start() {  # start <port> <extra run args...>
    local port=$1; shift
    BASE_URL=http://127.0.0.1:$port
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then die "port $port is in use (set CLINQA_CT_PORT)"; fi
    local health=()
    [ "$E" = docker ] && health=(--health-interval 3s)  # docker schedules the image's check itself
    $E run -d --name "$CTR" --network host -e "CLINQA_PORT=$port" "${health[@]}" "$@" "$IMAGE" \
        >"$WORK/logs/run.log" 2>&1 || { logtail "$WORK/logs/run.log"; die "$E run"; }
}
healthy() {  # the image's own HEALTHCHECK, run by the engine
    if [ "$E" = podman ]; then
        podman healthcheck run "$CTR" >/dev/null 2>&1
    else
        local i
        for i in $(seq 30); do
            [ "$(docker inspect --format '{{.State.Health.Status}}' "$CTR")" = healthy ] && return 0
            sleep 1
        done
        return 1
    fi
}
QUESTION='{"message":"What is the usual dose of metformin?"}'
chat() { code_of -X POST "$BASE_URL/v1/chat" -H 'content-type: application/json' "$@"; }
new_key() {
    $E exec "$CTR" clinqa keys create --scope chat,records:read,records:write --name test-container \
        2>>"$WORK/logs/run.log" | tail -n 1 || true
}
PATIENT=ct-patient-1
PATIENT_RECORDS='{"patient_id": "ct-patient-1", "record_id": "meds", "date": "2024-05-02", "kind": "medication_list", "text": "Current medications:\n- Warfarin Sodium 5 MG Oral Tablet\n- Metformin 500 MG Oral Tablet"}
{"patient_id": "ct-patient-1", "record_id": "visit-1", "date": "2024-05-02", "kind": "visit_note", "text": "Atrial fibrillation on anticoagulation. Type 2 diabetes. Complains of lower back pain."}'
keyed_checks() {  # the API with a key: a chat, a patient import and a chat about that patient
    check "POST /v1/chat without a key: 401 (auth is on in the image)" test "$(chat -d "$QUESTION")" = 401
    KEY=$(new_key)
    check "clinqa keys create (in the container) printed a key" test "${KEY:0:3}" = cq_
    check "POST /v1/chat with the key: 200" test "$(OUT=$WORK/chat.json chat -H "Authorization: Bearer $KEY" -d "$QUESTION")" = 200
    check "  ... answered, citing metformin's dosage section" json_ok "$WORK/chat.json" \
        "d['status'] == 'answered' and any(c['medicine_id'] == 'metformin' and c['attribute'] == 'dosage' for c in d['citations'])"
    local out
    out=$(printf '%s\n' "$PATIENT_RECORDS" | $E exec -i "$CTR" sh -c \
        'f=$(mktemp --suffix=.jsonl) && cat >"$f" && clinqa records import "$f"; rc=$?; rm -f "$f"; exit $rc' 2>&1 | tail -n 3 || true)
    say "   import: ${out//$'\n'/ | }"
    check "clinqa records import: 2 records for 1 patient" grep -q "imported 2 records for 1 patients" <<<"$out"
    check "GET /v1/patients/$PATIENT: 2 records" test "$(OUT=$WORK/patient.json code_of -H "Authorization: Bearer $KEY" "$BASE_URL/v1/patients/$PATIENT")" = 200
    check "  ... n_records == 2" json_ok "$WORK/patient.json" "d['n_records'] == 2"
    check "POST /v1/chat about the patient: 200" test "$(OUT=$WORK/pchat.json chat -H "Authorization: Bearer $KEY" \
        -d "{\"message\": \"Can I take ibuprofen for my back pain?\", \"patient_id\": \"$PATIENT\"}")" = 200
    check "  ... the answer used the patient's medication list (record citation, warfarin queried)" json_ok "$WORK/pchat.json" \
        "any(r['record_id'] == 'meds' for r in d['record_citations']) and any('warfarin' in (q.get('medicine') or '') for q in d['queries'])"
    python3 -c "import json, sys; d = json.load(open(sys.argv[1])); print('   patient answer:', (d.get('notice') or '')[:120], '|', str(d.get('answer'))[:160].replace(chr(10), ' '))" \
        "$WORK/pchat.json" 2>/dev/null || true
}
health_checks() {
    check "the image's HEALTHCHECK passes on CLINQA_PORT=$1 ($E)" healthy
    local closed=$(( $1 + 1000 ))
    check "  ... and fails when CLINQA_PORT names a port nobody serves ($closed)" \
        bash -c "! $E exec -e CLINQA_PORT=$closed $CTR clinqa-healthcheck >/dev/null 2>&1"
}
stop_checks() {
    local t=$SECONDS code
    $E stop -t 30 "$CTR" >/dev/null 2>&1 || true
    code=$($E inspect --format '{{.State.ExitCode}}' "$CTR")
    check "SIGTERM: stopped with exit code 0 in $((SECONDS - t)) s (not killed)" test "$code" = 0
    logs_of
    check "  ... uvicorn shut down cleanly" grep -q "Finished server process" "$WORK/logs/container.log"
}

$E rm -f "$CTR" >/dev/null 2>&1 || true
$E volume rm -f "$VOL" >/dev/null 2>&1 || true
$E volume create "$VOL" >/dev/null

# ------------------------------------------------------------------------------------------- 4. SQLite
if [ "$DB" = both ] || [ "$DB" = sqlite ]; then
    step "4/5 SQLite run: the image's defaults, a fresh /data volume, CLINQA_PORT=$PORT"
    start "$PORT" -v "$VOL:/data"
    wait_ready "SQLite, first start (migrate, index build, ONNX export, serve)"
    check "GET /readyz: ready, database ok" json_ok "$WORK/readyz.json" "d['ready'] and d['database'] == 'ok'"
    check "GET /healthz: 200" test "$(code_of "$BASE_URL/healthz")" = 200
    keyed_checks
    health_checks "$PORT"
    check "runs as the non-root user clinqa" test "$($E exec "$CTR" id -un)" = clinqa
    check "no build-time pip settings in the image" \
        test -z "$($E exec "$CTR" sh -c 'ls -A /tmp/build-pip /etc/xdg/pip 2>/dev/null; ls /etc/pip.conf 2>/dev/null' || true)"
    logs_of
    check "entrypoint: clinqa db upgrade ran" grep -q "database at revision" "$WORK/logs/container.log"
    check "entrypoint: built the missing index" grep -q "clinqa-entrypoint: no index under /data/index/medicines" "$WORK/logs/container.log"
    check "the ONNX export went to /data/models" grep -q "to ONNX (once) -> /data/models/" "$WORK/logs/container.log"
    $E exec "$CTR" sh -c 'cd /data && find . -maxdepth 3 | sort' >"$WORK/logs/data-tree.txt" 2>&1 || true
    check "/data holds the database, the index and the model export" bash -c \
        "grep -qx './clinqa.db' '$WORK/logs/data-tree.txt' && grep -qx './index/medicines/CURRENT' '$WORK/logs/data-tree.txt' && grep -q '^./models/' '$WORK/logs/data-tree.txt'"
    $E diff "$CTR" >"$WORK/logs/diff.txt" 2>&1 || true
    # files the container added outside its volume (to its own layer, lost with it): /tmp and the user's
    # home are allowed (onnxruntime's ~/.cache, torch's /tmp/torchinductor_clinqa)
    outside=$(awk '$1 == "A" {print $2}' "$WORK/logs/diff.txt" | grep -vE '^/(data|tmp|home/clinqa|run|etc/(hosts|hostname|resolv\.conf))(/|$)' || true)
    check "nothing written outside /data, /tmp and ~clinqa (container diff)" test -z "$outside"
    [ -z "$outside" ] || printf '      %s\n' $outside | head -n 20

    say "   restart: the index and the model export in /data must be reused"
    t=$SECONDS
    $E restart -t 30 "$CTR" >/dev/null 2>&1 || die "$E restart"
    wait_ready "SQLite, after restart"
    logs_of
    check "index reused after restart (one build in the logs)" test "$(count_in_log 'no index under')" = 1
    check "ONNX export reused after restart (one export in the logs)" test "$(count_in_log 'to ONNX (once)')" = 1
    check "chat after restart with the same key (kept in /data/clinqa.db): 200" \
        test "$(chat -H "Authorization: Bearer $KEY" -d "$QUESTION")" = 200
    stop_checks
    $E rm -f "$CTR" >/dev/null 2>&1 || true
fi

# ------------------------------------------------------------------------------------------- 5. PostgreSQL
if [ "$DB" = both ] || [ "$DB" = postgres ]; then
    step "5/5 PostgreSQL run: 2 workers (as docker-compose.yml), a new container on the same /data"
    . "$ROOT/.ci/postgres.sh"
    CLINQA_TEST_PG_PORT=$PG_PORT clinqa_pg_start >"$WORK/logs/pg.log" 2>&1 || { logtail "$WORK/logs/pg.log"; die "PostgreSQL"; }
    PG_STARTED=1
    trap on_exit EXIT  # clinqa_pg_start sets its own; ours stops the server too
    PG_URL=$CLINQA_TEST_POSTGRES_URL
    say "   $(tail -n 1 "$WORK/logs/pg.log")"
    port=$((PORT + 1))
    # A replica's layout (docs/deployment.md): the index in a volume of its own, written only by a rebuild job
    # and mounted read-only at /data/index; /data (here the SQLite run's volume: its model export) for the rest.
    $E volume rm -f "$IDX_VOL" >/dev/null 2>&1 || true
    $E volume create "$IDX_VOL" >/dev/null
    rebuild_job() {  # the rebuild job: prints the version it built
        $E run --rm --network host -v "$VOL:/data" -v "$IDX_VOL:/data/index" "$IMAGE" index build --quiet \
            2>>"$WORK/logs/job.log" | tee -a "$WORK/logs/job.log" | sed -n 's/^built \([^:]*\):.*/\1/p'
    }
    t=$SECONDS
    V1=$(rebuild_job || true)
    check "rebuild job (index build into the index volume): version $V1 in $((SECONDS - t)) s" test -n "$V1"
    start "$port" -v "$VOL:/data" -v "$IDX_VOL:/data/index:ro" -e "CLINQA_DATABASE_URL=$PG_URL" -e CLINQA_WORKERS=2 \
        -e CLINQA_LLM__BACKEND=extractive -e CLINQA_DISTILL__BACKEND=rules -e CLINQA_READ__BACKEND=extractive
    wait_ready "PostgreSQL replica (2 workers, index read-only, model export reused)"
    check "GET /readyz: ready, database ok, serving the job's version" json_ok "$WORK/readyz.json" \
        "d['ready'] and d['database'] == 'ok' and d['index']['version'] == '$V1'"
    logs_of
    check "entrypoint: migrated PostgreSQL" grep -q "database at revision" "$WORK/logs/container.log"
    check "the replica built no index of its own" test "$(count_in_log 'no index under')" = 0
    check "ONNX export in /data reused by the new container" test "$(count_in_log 'to ONNX (once)')" = 0
    check "2 server workers" test "$(count_in_log 'Started server process')" -ge 2
    keyed_checks
    health_checks "$port"
    t=$SECONDS
    V2=$(rebuild_job || true)
    say "   rebuild job while the replica serves: version $V2 in $((SECONDS - t)) s"
    swapped=0
    for _ in $(seq 60); do  # every worker follows CURRENT (CLINQA_INDEX_WATCH_S=2): 5 answers in a row
        n=0
        for _ in 1 2 3 4 5; do
            OUT=$WORK/readyz.json code_of "$BASE_URL/readyz" >/dev/null
            json_ok "$WORK/readyz.json" "d['index']['version'] == '$V2'" && n=$((n + 1))
        done
        [ "$n" = 5 ] && { swapped=1; break; }
        sleep 1
    done
    swap_ok() { [ "$swapped" = 1 ] && [ -n "$V2" ] && [ "$V2" != "$V1" ]; }
    check "the replica's workers swapped in the job's new version ($((SECONDS - t)) s after the job started)" swap_ok
    check "chat after the swap: 200" test "$(chat -H "Authorization: Bearer $KEY" -d "$QUESTION")" = 200
    stop_checks
fi
[ "$FAILS" = 0 ] || die "$FAILS check(s) failed (container log: $WORK/logs/container.log)"
