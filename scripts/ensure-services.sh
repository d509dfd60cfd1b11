#!/usr/bin/env bash
# Make sure RabbitMQ and PostgreSQL answer on their local ports before tests or a local run.
# Order: already answering -> start a locally installed one that is stopped -> (tests only) leave
# it to testcontainers when a Docker engine answers -> install with apt on Debian/Ubuntu as root
# -> stop with the exact commands to run.
set -euo pipefail

AMQP_PORT=${AMQP_PORT:-5672}
PG_PORT=${PG_PORT:-5432}

say() { printf 'ensure-services: %s\n' "$*" >&2; }

answers() { # host port
  (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null
}

wait_for() { # name port seconds
  local i
  for ((i = 0; i < $3 * 4; i++)); do
    answers 127.0.0.1 "$2" && return 0
    sleep 0.25
  done
  say "$1 did not answer on 127.0.0.1:$2 within $3 s"
  return 1
}

docker_engine() { command -v docker >/dev/null 2>&1 && timeout 5 docker info >/dev/null 2>&1; }

can_apt() { [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; }

start_rabbitmq() {
  if command -v rabbitmq-server >/dev/null 2>&1; then
    say "starting the installed RabbitMQ (rabbitmq-server -detached)"
    rabbitmq-server -detached >/dev/null 2>&1 || true
    wait_for RabbitMQ "$AMQP_PORT" 90
    return
  fi
  return 1
}

start_postgres() {
  if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
    local version
    version=$(ls /etc/postgresql | sort -V | tail -n 1)
    say "starting the installed PostgreSQL $version (pg_ctlcluster $version main start)"
    pg_ctlcluster --skip-systemctl-redirect "$version" main start >/dev/null 2>&1 || true
    wait_for PostgreSQL "$PG_PORT" 60
    return
  fi
  return 1
}

install_with_apt() { # package
  say "installing $1 with apt-get (not found on this machine; running as root on $(. /etc/os-release && echo "$PRETTY_NAME"))"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$1" >/dev/null
}

trust_local_postgres() {
  # A freshly installed cluster wants a password on 127.0.0.1; tests connect as postgres with
  # the password "postgres", so set it (trust-auth clusters ignore it).
  su postgres -c "psql -q -c \"ALTER USER postgres PASSWORD 'postgres'\"" >/dev/null 2>&1 || true
}

manual_help() {
  cat >&2 <<'HELP'
ensure-services: RabbitMQ and/or PostgreSQL are not reachable and cannot be started here.
Start them yourself, for example:
  Debian/Ubuntu:  sudo apt-get install -y rabbitmq-server postgresql
                  sudo rabbitmq-server -detached
                  sudo pg_ctlcluster $(ls /etc/postgresql) main start
  macOS:          brew install rabbitmq postgresql@16 && brew services start rabbitmq postgresql@16
  any Docker:     docker run -d -p 5672:5672 rabbitmq:3.13-management
                  docker run -d -p 5432:5432 -e POSTGRES_HOST_AUTH_METHOD=trust postgres:16-alpine
or point the tests elsewhere with CAREERFLOW_TEST_AMQP_URL and CAREERFLOW_TEST_DATABASE_URL.
HELP
  exit 1
}

ensure() { # name port starter package
  local name=$1 port=$2 starter=$3 package=$4
  answers 127.0.0.1 "$port" && return 0
  $starter && return 0
  if [ "${ALLOW_CONTAINERS:-0}" = 1 ] && docker_engine; then
    say "$name is not running here; a Docker engine answers, so the tests will use testcontainers"
    return 0
  fi
  if can_apt; then
    install_with_apt "$package"
    if $starter; then
      [ "$package" = postgresql ] && trust_local_postgres
      return 0
    fi
  fi
  manual_help
}

if [ -n "${CAREERFLOW_TEST_AMQP_URL:-}" ]; then say "using CAREERFLOW_TEST_AMQP_URL"; else
  ensure RabbitMQ "$AMQP_PORT" start_rabbitmq rabbitmq-server; fi
if [ -n "${CAREERFLOW_TEST_DATABASE_URL:-}" ]; then say "using CAREERFLOW_TEST_DATABASE_URL"; else
  ensure PostgreSQL "$PG_PORT" start_postgres postgresql; fi
say "RabbitMQ and PostgreSQL answer"
