# The dashboard as an image: `docker build -t shahu .` then `docker run -p 8501:8501 shahu`,
# or several replicas behind HAProxy with `docker compose up --build` (compose.yaml, docs/DEPLOY.md).
# Every web asset is baked in: the running container needs no network at all.

# The map's fullscreen button is not on PyPI: fetched from the npm registry at build time.
FROM node:22-bookworm-slim AS fullscreen
WORKDIR /build
RUN npm pack --silent leaflet.fullscreen@3.0.2 \
 && tar -xzf leaflet.fullscreen-3.0.2.tgz \
 && mkdir out \
 && cp package/Control.FullScreen.js package/Control.FullScreen.css out/ \
 && (cp package/icon-fullscreen.svg out/ || true)

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app

# The app's pinned requirements, without the test and lint tools listed after them.
COPY requirements.txt .
RUN sed '/^# Test and lint/,$d' requirements.txt > /tmp/requirements-app.txt \
 && python -m pip install -r /tmp/requirements-app.txt \
 && rm /tmp/requirements-app.txt

COPY . .
COPY --from=fullscreen /build/out/ static/vendor/leaflet.fullscreen/
# Leaflet, MarkerCluster and jQuery from their XStatic packages into static/vendor.
RUN python -m shahu assets \
 && useradd --create-home --uid 10001 shahu \
 && chown -R shahu:shahu /app/data

# data/ is where staff imports write (with backups and a lock file): mount a volume here to keep
# it, and share that one volume between replicas (compose.yaml does).
VOLUME ["/app/data"]
USER shahu
EXPOSE 8501
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["python", "-c", "import urllib.request as u; u.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=2)"]
CMD ["python", "-m", "shahu.ops.serve", "--server.port", "8501", "--server.address", "0.0.0.0"]
