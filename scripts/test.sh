#!/usr/bin/env bash
# Set up, then run the default test suite (slow tests: `.venv/bin/pytest -m slow`).
set -euo pipefail
cd "$(dirname "$0")/.."
# The tests run the Ray engine on a local two-node cluster, so they install the ray extra too.
VOC_EXTRAS="${VOC_EXTRAS:-fast,test,ray}" bash scripts/setup.sh
# The review page is tested in a real headless Chromium, from Debian's packages.
if ! command -v chromium >/dev/null && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    (apt-get update -qq && apt-get install -y -qq chromium chromium-driver >/dev/null) \
        || echo "chromium could not be installed: browser tests will be skipped"
fi
.venv/bin/ruff check .
.venv/bin/python -m pytest "$@"
