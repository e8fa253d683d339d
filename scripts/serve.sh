#!/usr/bin/env bash
# Installs dependencies, builds the release binaries, and starts the server on its defaults:
# 127.0.0.1:3100 with data in ./data. Extra arguments go to `sluice serve`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake --preset release -DSLUICE_BUILD_BENCH=OFF -DSLUICE_BUILD_TESTS=OFF >/dev/null
cmake --build --preset release --target sluice
exec build/release/bin/sluice serve "$@"
