#!/bin/sh
# Container entrypoint: migrate the database, make sure an index exists (built from the shipped corpus,
# or mounted at $CLINQA_INDEX_DIR), then run the given clinqa command (default: serve).
set -eu
: "${CLINQA_INDEX_DIR:=data/index}"
: "${CLINQA_PORT:=8000}"
: "${CLINQA_HOST:=0.0.0.0}"

if [ "${1:-serve}" = "serve" ]; then
    clinqa db upgrade
    if [ ! -f "$CLINQA_INDEX_DIR/medicines/CURRENT" ]; then
        echo "clinqa-entrypoint: no index under $CLINQA_INDEX_DIR; building one from ${CLINQA_CORPUS:-corpora/medicines.jsonl}"
        clinqa index build --quiet
    fi
    if [ "$#" -gt 0 ]; then shift; fi  # dash exits on a failed shift, even with || true
    exec clinqa serve --host "$CLINQA_HOST" --port "$CLINQA_PORT" "$@"
fi
exec clinqa "$@"
