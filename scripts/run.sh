#!/usr/bin/env bash
# Set up EduTeach and start it with its practice LMS:
#   EduTeach      http://127.0.0.1:5000
#   practice LMS  http://127.0.0.1:5001   (open this one in your browser)
# Ctrl-C stops both. Arguments go to `eduteach demo` (see `eduteach demo --help`).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/eduteach demo "$@"
