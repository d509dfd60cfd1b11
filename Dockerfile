# syntax=docker/dockerfile:1
# Every CareerFlow service's image, one service per build. Build from the repository root (the
# image needs uv.lock and the shared libs; the gateway's, the web app too), naming the service
# and the port it listens on (both required: without them the build stops at its first stage):
#   docker build --build-arg SERVICE=gateway --build-arg PORT=8000 -t careerflow/gateway .
#   docker build --build-arg SERVICE=resume-parser --build-arg PORT=8001 -t careerflow/resume-parser .
#   docker build --build-arg SERVICE=question-gen --build-arg PORT=8002 -t careerflow/question-gen .
#   docker build --build-arg SERVICE=evaluator --build-arg PORT=8003 -t careerflow/evaluator .
# docker-compose.yml passes the same arguments. The gateway's image serves the browser app too
# (web/, built in the `web` stage below), so the API and the client generated from its OpenAPI
# document always ship together (docs/deployment.md); a worker's image has no web app.
ARG PYTHON_IMAGE=python:3.11-slim-bookworm
# Node.js 24 (LTS), pinned: the build's output, not the runtime, depends on it.
ARG NODE_IMAGE=node:24.20.0-trixie-slim
ARG SERVICE

# Only the workspace's manifests: this stage changes with every source edit, but its output does
# not, so the dependency layer below stays cached until a pyproject.toml or uv.lock changes.
FROM ${PYTHON_IMAGE} AS manifests
WORKDIR /src
COPY . .
RUN find . -type f ! -name pyproject.toml ! -name uv.lock -delete

FROM ${PYTHON_IMAGE} AS builder
ARG SERVICE
ARG UV_VERSION=0.13.9
RUN pip install --no-cache-dir "uv==${UV_VERSION}"
ENV UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PYTHON_DOWNLOADS=never \
    UV_PROJECT_ENVIRONMENT=/app/.venv
WORKDIR /src
COPY --from=manifests /src ./
# Third-party dependencies of this service only (--package), without the workspace itself.
RUN uv sync --locked --no-dev --no-install-workspace --package "careerflow-${SERVICE}"
COPY . .
# The service and the libs it uses, installed as wheels so the runtime needs no source tree;
# `careerflow-service`, the entrypoint whichever the service, is its console script.
RUN uv sync --locked --no-dev --no-editable --package "careerflow-${SERVICE}" \
    && ln -s "${SERVICE}" /app/.venv/bin/careerflow-service

# The browser app: `npm ci` installs exactly web/package-lock.json, then `npm run build` copies
# the samples in, type-checks, builds web/dist and fails above the first-load JavaScript budget.
# The manifests come first so the install layer stays cached until the lock file changes.
# Built only for the gateway: no other service's stages use it.
FROM ${NODE_IMAGE} AS web
ENV NPM_CONFIG_UPDATE_NOTIFIER=false
WORKDIR /src/web
COPY web/package.json web/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY samples /src/samples
COPY web ./
RUN npm run build

# What each service's image holds under /app: its virtualenv, and for the gateway the web app.
FROM builder AS app-gateway
COPY --from=web /src/web/dist /app/web
FROM builder AS app-resume-parser
FROM builder AS app-question-gen
FROM builder AS app-evaluator
# A stage of this file, not an image to pull: hadolint cannot tell once its name is an ARG.
# hadolint ignore=DL3006
FROM app-${SERVICE} AS app

FROM ${PYTHON_IMAGE} AS runtime
ARG SERVICE
ARG PORT
RUN groupadd --system --gid 10001 careerflow \
    && useradd --system --uid 10001 --gid careerflow --no-create-home \
       --home-dir /nonexistent --shell /usr/sbin/nologin careerflow
# Owned by root and read-only for the service user: the code cannot be changed at run time.
COPY --from=app /app /app
# Each service reads only the variables of its own prefix (GATEWAY_, RESUME_PARSER_, ...): it
# listens on every interface, on PORT.
ENV PATH=/app/.venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    CAREERFLOW_PORT=${PORT} \
    GATEWAY_HOST=0.0.0.0 \
    GATEWAY_PORT=${PORT} \
    GATEWAY_WEB_DIR=/app/web \
    RESUME_PARSER_HOST=0.0.0.0 \
    RESUME_PARSER_PORT=${PORT} \
    QUESTION_GEN_HOST=0.0.0.0 \
    QUESTION_GEN_PORT=${PORT} \
    EVALUATOR_HOST=0.0.0.0 \
    EVALUATOR_PORT=${PORT}
WORKDIR /app
USER 10001:10001
EXPOSE ${PORT}
# /livez only: a container whose dependencies are down is alive and must not be restarted.
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request as r; r.urlopen('http://127.0.0.1:%s/livez' % os.environ['CAREERFLOW_PORT'], timeout=4)"]
ENTRYPOINT ["careerflow-service"]
