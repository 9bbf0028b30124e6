# kiwibot: runs as a non-root user; config and database live on the /data volume.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN useradd --create-home --uid 10001 --shell /usr/sbin/nologin kiwibot \
    && mkdir /data && chown kiwibot:kiwibot /data

WORKDIR /app
COPY pyproject.toml README.md ./
COPY kiwibot ./kiwibot
RUN pip install .

USER kiwibot
VOLUME ["/data"]
ENTRYPOINT ["kiwibot", "run", "--config", "/data/config.yaml"]
