#!/usr/bin/env bash
# Create .venv and install voc into it. torch comes first, pinned to the CPU wheel, so that no
# later requirement can pull a multi-gigabyte GPU build.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3.11}"
command -v "$PYTHON" >/dev/null || PYTHON=python3
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -c constraints.txt "torch==2.13.0"
# constraints.txt pins the versions CI tested (scripts/lock.sh); pyproject.toml keeps ranges.
.venv/bin/python -m pip install --quiet -c constraints.txt -e ".[${VOC_EXTRAS:-fast,test}]"
