# kiwibot: Debian's Python 3.11 with the bot in a venv, run as an unprivileged user, all state on /data.
# Build with `make image` (docker or podman); the steps are in README, "Docker / Podman".
#
# Build arguments:
#   EXTRA_CA_CERTS  PEM text of a site's own CA certificates, for networks whose proxy re-signs TLS: trusted by
#                   the build (pip) and by the bot (its homeserver). Empty (the default): the image is unchanged.
#                   `make image CA_CERTS=/usr/local/share/ca-certificates` fills it from .crt files.
#   VERSION, SOURCE the version and source URL labels (`make image` takes them from pyproject.toml and git).

# --- build: venv with kiwibot and its dependencies; pip, its cache and the build tools stay here -------------------
FROM debian:bookworm-slim AS build
ARG EXTRA_CA_CERTS=""
ENV DEBIAN_FRONTEND=noninteractive \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_CERT=/etc/ssl/certs/ca-certificates.crt
RUN apt-get update \
    && apt-get install -y --no-install-recommends python3 python3-venv ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && if [ -n "$EXTRA_CA_CERTS" ]; then \
         printf '%s\n' "$EXTRA_CA_CERTS" >/usr/local/share/ca-certificates/site-extra.crt && update-ca-certificates; \
       fi \
    && python3 -m venv /opt/kiwibot
WORKDIR /src
# The dependencies first, from pyproject.toml alone: a change to the code does not download them again.
COPY pyproject.toml ./
RUN python3 -c 'import tomllib; print("\n".join(tomllib.load(open("pyproject.toml", "rb"))["project"]["dependencies"]))' \
      >requirements.txt \
    && /opt/kiwibot/bin/pip install -r requirements.txt
COPY README.md ./
COPY kiwibot ./kiwibot
RUN /opt/kiwibot/bin/pip install --no-deps . \
    && /opt/kiwibot/bin/pip uninstall -y pip setuptools

# --- the image: Python, CA certificates and the venv ---------------------------------------------------------------
FROM debian:bookworm-slim
ARG EXTRA_CA_CERTS=""
ARG VERSION=0.1.0
ARG SOURCE=""
LABEL org.opencontainers.image.title="kiwibot" \
      org.opencontainers.image.description="KIWI – Kollegiale Impulse, Wissenswerkstatt: a Matrix bot for a colleague-to-colleague learning programme" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.source="${SOURCE}" \
      org.opencontainers.image.licenses="AGPL-3.0-or-later"
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends python3 ca-certificates \
    && rm -rf /var/lib/apt/lists/* /var/cache/apt/* /var/log/apt/* /var/log/dpkg.log \
    && if [ -n "$EXTRA_CA_CERTS" ]; then \
         printf '%s\n' "$EXTRA_CA_CERTS" >/usr/local/share/ca-certificates/site-extra.crt && update-ca-certificates; \
       fi \
    && groupadd --gid 10001 kiwibot \
    && useradd --uid 10001 --gid 10001 --home-dir /data --no-create-home --shell /usr/sbin/nologin kiwibot \
    && mkdir /data && chown kiwibot:kiwibot /data
COPY --from=build /opt/kiwibot /opt/kiwibot
# The license travels with the image that is handed on (AGPL-3.0-or-later, as the label says).
COPY LICENSE /usr/share/doc/kiwibot/LICENSE
# matplotlib (the statistics chart) keeps its config and font cache in the image, not under HOME (/data, the data
# volume): the font cache is built here once, so the bot finds it ready and writes nothing of it to /data.
ENV PATH=/opt/kiwibot/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    MPLCONFIGDIR=/var/cache/kiwibot/matplotlib
RUN mkdir -p "$MPLCONFIGDIR" \
    && /opt/kiwibot/bin/python -c 'import matplotlib.font_manager' \
    && chown -R 10001:10001 /var/cache/kiwibot
# Numeric, so that a runtime can check it is not root without reading /etc/passwd.
USER 10001:10001
WORKDIR /data
VOLUME ["/data"]
# The web side (calendar feeds, programme page); the config must say `web: {listen: "0.0.0.0:8080"}` in a container.
EXPOSE 8080
# Healthy only while the bot syncs: `kiwibot health` fails when its last successful sync is too old.
HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 \
    CMD ["kiwibot", "health", "--config", "/data/config.yaml"]
STOPSIGNAL SIGTERM
ENTRYPOINT ["kiwibot"]
CMD ["run", "--config", "/data/config.yaml"]
