#!/usr/bin/env bash
# Builds the bare-stack ceiling (../shared/bench/ceiling) for the load benchmark: a copy, since
# its folder may be read-only, into this project's one target/. bench/load.sh builds it with
# --release; .ci/run builds it in debug, so that CI proves the benchmark builds without running it.
#
#   bench/build_ceiling.sh [cargo build flags]     prints the folder the copy is in
#
# Environment: CEILING (../shared/bench/ceiling), SRC (where the copy goes, /tmp/peerdesk-ceiling-src).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
CEILING=${CEILING:-$ROOT/../shared/bench/ceiling}
SRC=${SRC:-/tmp/peerdesk-ceiling-src}
[ -f "$CEILING/Cargo.toml" ] || { echo "bench: no ceiling program at $CEILING" >&2; exit 1; }
rm -rf "$SRC" && cp -r "$CEILING" "$SRC"
CARGO_TARGET_DIR="$ROOT/target" cargo build --quiet "$@" --manifest-path "$SRC/Cargo.toml"
echo "$SRC"
