#!/bin/sh
# tests/check.sh - what `make check` runs: install the Debian packages that
# are missing, build with warnings as errors, run every test.
set -e
cd "$(dirname "$0")/.."
sh tests/deps.sh
make -s -j"$(nproc)" CI=1 all unit
exec bash tests/run.sh
