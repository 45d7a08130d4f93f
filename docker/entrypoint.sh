#!/bin/sh
# Container entrypoint: migrate the database, make sure the serving index exists (built from the shipped
# corpus, or mounted at $CLINQA_INDEX_DIR), then run the given clinqa command (default: serve).
# Any other command goes to clinqa itself: `docker run ... clinqa keys create --scope chat`.
set -eu
: "${CLINQA_PORT:=8000}"
: "${CLINQA_HOST:=0.0.0.0}"

if [ "${1:-serve}" = "serve" ]; then
    # The workers' metric files, summed by /metrics (emptied by `clinqa serve` at each start; in the
    # container's own /tmp, so replicas sharing the /data volume never mix their counts).
    : "${PROMETHEUS_MULTIPROC_DIR:=/tmp/clinqa-metrics}"
    export PROMETHEUS_MULTIPROC_DIR
    clinqa db upgrade
    # `clinqa index info` looks where the server will (CLINQA_INDEX_DIR, CLINQA_INDEX_NAME) and fails when
    # no complete version is current there.
    if ! clinqa index info >/dev/null 2>&1; then
        echo "clinqa-entrypoint: no index under ${CLINQA_INDEX_DIR:-data/index}/${CLINQA_INDEX_NAME:-medicines}; building one from ${CLINQA_CORPUS:-corpora/medicines.jsonl}"
        clinqa index build --quiet
    fi
    if [ "$#" -gt 0 ]; then shift; fi  # dash exits on a failed shift, even with || true
    exec clinqa serve --host "$CLINQA_HOST" --port "$CLINQA_PORT" "$@"
fi
exec clinqa "$@"
