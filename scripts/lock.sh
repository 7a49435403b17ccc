#!/usr/bin/env bash
# Pin every dependency to the versions in .venv, where the tests last passed, so a fresh machine
# installs what CI ran (scripts/setup.sh installs with `-c constraints.txt`). Run it after
# changing dependencies in pyproject.toml and re-running the tests; pyproject keeps the ranges.
set -euo pipefail
cd "$(dirname "$0")/.."
{
    echo "# Versions the test suite passed with; made by scripts/lock.sh (pip freeze of .venv)."
    echo "# torch is installed first, from torch==2.13.0 (CPU), by scripts/setup.sh."
    .venv/bin/python -m pip freeze --exclude-editable | grep -v -E '^(torch|voc)(==| @)'
} > constraints.txt
