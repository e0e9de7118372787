#!/usr/bin/env bash
# Set up everything the tests need, then run the whole suite (SQLite and PostgreSQL).
# Extra arguments go to pytest, e.g. scripts/test.sh -k launch
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
if [ -z "${EDUTEACH_TEST_POSTGRES_URL:-}" ] && [ -f .postgres-url ]; then
  EDUTEACH_TEST_POSTGRES_URL=$(cat .postgres-url)
  export EDUTEACH_TEST_POSTGRES_URL
fi
.venv/bin/ruff check eduteach tests
.venv/bin/mypy eduteach
exec .venv/bin/python -m pytest "$@"
