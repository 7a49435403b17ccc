#!/usr/bin/env bash
# Set up, then run voc on the sample corpus: writes reports/demo/report.md and friends.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/voc run corpora/demo --out reports/demo "$@"
