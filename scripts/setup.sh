#!/usr/bin/env bash
# Set up EduTeach on a Debian machine: system packages, a virtualenv, the Python packages.
#   scripts/setup.sh            the tool
#   scripts/setup.sh --test     the tool plus what the test suite needs (Chromium, LibreOffice,
#                               PostgreSQL and Redis when none runs on this machine)
# Safe to run again: each step checks before it installs.
set -euo pipefail
cd "$(dirname "$0")/.."

want_test=0
want_embedded=0
for arg in "$@"; do
  case "$arg" in
    --test) want_test=1 ;;
    --embedded) want_embedded=1 ;;
  esac
done

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

apt_updated=0
apt_install() {
  local missing=()
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  say "Installing Debian packages: ${missing[*]}"
  if [ "$apt_updated" = 0 ]; then as_root apt-get update -qq; apt_updated=1; fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

PY=${PYTHON:-python3}
if ! "$PY" -c 'import sys; assert sys.version_info >= (3, 11)' 2>/dev/null; then
  echo "EduTeach needs Python 3.11 or newer as '$PY' (set PYTHON=/path/to/python3.11)." >&2
  exit 1
fi
if ! "$PY" -c 'import ensurepip, venv' 2>/dev/null; then
  ver=$("$PY" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')
  apt_install "python${ver}-venv" || apt_install python3-venv
fi

if [ "$want_embedded" = 1 ]; then
  # llama-cpp-python builds from source once (the offline model's runtime).
  ver=$("$PY" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')
  apt_install build-essential cmake "python${ver}-dev" || apt_install build-essential cmake python3-dev
fi

if [ "$want_test" = 1 ]; then
  apt_install chromium libreoffice-writer-nogui fonts-dejavu-core fonts-crosextra-carlito poppler-utils
  if ! port_open 5432; then
    apt_install postgresql
    say "Starting PostgreSQL on 127.0.0.1:5432"
    ver=$(ls /etc/postgresql | sort -V | tail -n 1)
    as_root pg_ctlcluster --skip-systemctl-redirect "$ver" main start || true
    for _ in $(seq 1 30); do port_open 5432 && break; sleep 1; done
    # A role and database for the tests, reachable over TCP with a password.
    as_root su postgres -c "psql -qtAc \"SELECT 1 FROM pg_roles WHERE rolname='eduteach'\" | grep -q 1 || psql -qc \"CREATE ROLE eduteach LOGIN SUPERUSER PASSWORD 'eduteach'\""
    as_root su postgres -c "psql -qtAc \"SELECT 1 FROM pg_database WHERE datname='test'\" | grep -q 1 || createdb -O eduteach test"
    echo "postgresql://eduteach:eduteach@127.0.0.1:5432/test" > .postgres-url
  fi
  if ! port_open 6379; then
    apt_install redis-server
    say "Starting Redis on 127.0.0.1:6379"
    as_root redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no >/dev/null
    for _ in $(seq 1 20); do port_open 6379 && break; sleep 0.5; done
  fi
fi

if [ ! -x .venv/bin/python ]; then
  say "Creating the virtualenv in .venv"
  "$PY" -m venv .venv
fi
extras=""
[ "$want_test" = 1 ] && extras="[test]"
stamp=".venv/.installed${extras}"
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  say "Installing Python packages"
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -e ".${extras}"
  touch "$stamp"
fi
