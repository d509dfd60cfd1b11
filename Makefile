# CareerFlow — `make help` lists every target.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# uv from PATH, else the one `make uv` installs with pip (run as a module, PATH-independent).
UV = $(shell command -v uv 2>/dev/null || echo "python3 -m uv")
PYTEST_ARGS ?=
# The built browser app; rebuilt only when a file it is made from changed (the web section).
WEB_BUILT = web/dist/index.html
# The login shell always sets USER; only `make token USER=bob` on the command line picks another.
TOKEN_USER = $(if $(filter command line,$(origin USER)),$(USER),alice)

.PHONY: help uv install services llama-server llama-server-background lint format test unit schemas run token \
        parse-quality bench-extraction clean up down demo validate-deploy bench bench-cpu

help: ## List every target with what it does
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  \033[36m%-18s\033[0m %s\n", $$1, $$2}' $(MAKEFILE_LIST)

uv: ## Install uv with pip if it is missing
	@command -v uv >/dev/null 2>&1 || python3 -m uv --version >/dev/null 2>&1 || \
	  { echo "make: installing uv with pip"; python3 -m pip install --quiet --user uv || python3 -m pip install --quiet uv; }

# Bytecode is compiled once here: with PYTHONDONTWRITEBYTECODE set (as on CI machines) every
# process would otherwise compile its imports again at start, ~7 s of CPU for the gateway.
install: uv ## Create .venv with every workspace member and the dev tools, from uv.lock
	$(UV) sync --locked --compile-bytecode
	@$(UV) run --no-sync python -m compileall -q libs/*/src services/*/src >/dev/null

services: ## Make sure RabbitMQ and PostgreSQL answer (start or install them if needed)
	@ALLOW_CONTAINERS=$(ALLOW_CONTAINERS) bash scripts/ensure-services.sh

lint: install ## ruff (lint and format check) and mypy --strict on libs and services
	$(UV) run ruff check .
	$(UV) run ruff format --check .
	$(UV) run mypy libs/*/src services/*/src

format: install ## Apply ruff's fixes and formatting
	$(UV) run ruff check --fix .
	$(UV) run ruff format .

test: ALLOW_CONTAINERS = 1
test: install services llama-server-background lint web-check $(WEB_BUILT) browser ## Everything: install, start RabbitMQ/Postgres, build the llama.cpp server (in the background), lint, the web checks and build, Chromium, the whole suite (the browser suite and the real-model tests too)
	$(UV) run pytest $(PYTEST_ARGS)

llama-server: uv ## llama.cpp's server and the small model of the real-model tests, in tools/llama-server/.venv (compiled once, minutes; then from uv's cache in seconds)
	@UV="$(UV)" bash scripts/ensure-llama-server.sh

llama-server-background: uv ## The same at the lowest CPU priority, in the background: the real-model tests wait for it
	@UV="$(UV)" bash scripts/ensure-llama-server.sh --background

unit: install ## Only the unit tests (no broker or database needed)
	$(UV) run pytest libs/*/tests/unit services/*/tests/unit $(PYTEST_ARGS)

schemas: install ## Regenerate the checked-in JSON Schemas of the contracts
	$(UV) run python -m careerflow_contracts.schemas

run: install services $(WEB_BUILT) ## Run the system locally as processes, the app at http://127.0.0.1:8000/ (Ctrl-C stops it)
	$(UV) run python scripts/run_local.py

token: install ## Mint a development JWT for make run's gateway: make token USER=alice
	@if [ -z "$$GATEWAY_JWT_SECRET" ] && [ -f .run/jwt-secret ]; then export GATEWAY_JWT_SECRET=$$(cat .run/jwt-secret); fi; \
	  $(UV) run gateway token --user $(TOKEN_USER)

parse-quality: install ## Fallback parser quality on an optional corpus of resume PDFs: CAREERFLOW_RESUMES_DIR=dir
	$(UV) run python services/resume-parser/scripts/parse_quality.py

bench-extraction: install ## Resumes/s of the parser's extraction vs bare pypdf, on the same optional corpus
	$(UV) run python services/resume-parser/scripts/bench_extraction.py

COMPOSE = $(shell docker compose version >/dev/null 2>&1 && echo "docker compose" || echo "$(UV) run docker-compose")
ANSWERS ?=
ROLE ?=
JD ?=
RESUME ?=

up: ## Build and start everything with Docker Compose (needs a Docker engine); writes .env once
	@timeout 5 docker info >/dev/null 2>&1 || { echo "make up: no Docker engine answers; use make run"; exit 1; }
	@test -f .env || { sed "s/^GATEWAY_JWT_SECRET=.*/GATEWAY_JWT_SECRET=$$(python3 -c 'import secrets; print(secrets.token_urlsafe(32))')/" .env.example > .env; echo "make up: wrote .env with a random GATEWAY_JWT_SECRET"; }
	$(COMPOSE) up -d --build --wait gateway resume-parser question-gen evaluator
	@# The one-shot pull job on its own: --wait would count its normal exit as a failure.
	$(COMPOSE) up -d ollama-pull
	@echo "CareerFlow is up on http://127.0.0.1:8000 (the model is pulled in the background: $(COMPOSE) logs -f ollama-pull)"
	@echo "Token: $(COMPOSE) exec gateway gateway token --user alice    Demo: make demo"

down: ## Stop the Compose stack (volumes are kept; add -v by hand to delete the data)
	$(COMPOSE) down

demo: install ## A whole interview against the running system, the sample of samples/ or any job: make demo [ROLE="ICU Registered Nurse"] [JD=file-or-text] [RESUME=file] [ANSWERS=file]
	$(UV) run python scripts/demo.py $(if $(RESUME),--resume "$(RESUME)") $(if $(ROLE),--target-role "$(ROLE)") $(if $(JD),--job-description "$(JD)") $(if $(ANSWERS),--answers $(ANSWERS))

validate-deploy: install ## Offline checks of the Dockerfile, docker-compose.yml and deploy/ (no engine or cluster)
	$(UV) run pytest tests/deploy -q

SCENARIOS ?=
BASELINE ?=
CODE ?=
bench: install services ## Figures vs their floors into docs/benchmarks.md: bursts (model down, hanging, healthy), model down at 8 clients, laptop CPU, GPU; some: SCENARIOS=down,gpu; BASELINE=rev runs that code in turns with yours or CODE=rev's (down)
	$(UV) run python scripts/bench.py $(if $(SCENARIOS),--scenarios $(SCENARIOS)) $(if $(BASELINE),--baseline $(BASELINE)) $(if $(CODE),--code $(CODE))

bench-cpu: install services ## CPU seconds of each service, Postgres and RabbitMQ on one model-down burst, medians of rounds; BASELINE=rev runs that code in turns
	$(UV) run python scripts/bench_cpu.py $(if $(BASELINE),--baseline $(BASELINE))

# The browser app (web/). npm ci runs again only when the lock file is newer than the install.
.PHONY: web web-check
WEB_INSTALLED = web/node_modules/.package-lock.json

$(WEB_INSTALLED): web/package-lock.json web/package.json
	cd web && npm ci --no-audit --no-fund
	@touch $@

web: $(WEB_INSTALLED) ## Build the browser app into web/dist (npm ci first when its lock changed)
	cd web && npm run build

web-check: install $(WEB_INSTALLED) ## The browser app's checks: biome, tsc, vitest, and the generated client is current
	cd web && npm run lint && npm run typecheck && npm run test
	cd web && UV="$(UV)" npm run check:client

# What web/dist is made from (component tests aside), and the build without its type check,
# which web-check runs: the samples, vite, the first-load size budget.
WEB_SOURCES = $(shell find web/src web/public -type f -not -name '*.test.*' -not -path 'web/src/test/*' 2>/dev/null) \
  web/index.html web/vite.config.ts web/package.json web/package-lock.json \
  samples/resume.pdf samples/job-description.txt samples/target-role.txt

$(WEB_BUILT): $(WEB_INSTALLED) $(WEB_SOURCES)
	cd web && npm run samples && npx vite build && npm run size

.PHONY: browser test-browser
browser: ## Make sure Chromium is there for the browser suite (Debian's chromium with apt as root)
	@bash scripts/ensure-chromium.sh

test-browser: install services $(WEB_BUILT) browser ## Only the browser suite (Playwright in Chromium, whole system); prints issue 13's figures
	$(UV) run pytest tests/browser -p no:cacheprovider $(PYTEST_ARGS)

clean: ## Remove the virtualenv and caches
	rm -rf .venv tools/llama-server/.venv .pytest_cache .mypy_cache .ruff_cache
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
