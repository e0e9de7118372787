#!/usr/bin/env bash
# Set up EduTeach and start it with its practice LMS:
#   EduTeach      http://127.0.0.1:5000
#   practice LMS  http://127.0.0.1:5001   (open this one in your browser)
# Ctrl-C stops both. Arguments go to `eduteach demo` (see `eduteach demo --help`).
# With EDUTEACH_LLM_BASE_URL (and _MODEL, _API_KEY) set, that endpoint is used and nothing
# more is downloaded; without it, the offline model is set up once and used.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -n "${EDUTEACH_LLM_BASE_URL:-}" ]; then
  bash scripts/setup.sh
else
  # No model endpoint configured: EduTeach runs a small offline model on this machine.
  # Set up once (about 1 GB download, and a 5-20 minute build); instant afterwards.
  bash scripts/setup.sh --embedded
  .venv/bin/python -m eduteach.embedded setup
fi
exec .venv/bin/eduteach demo "$@"
