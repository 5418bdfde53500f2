#!/usr/bin/env bash
# Labelled tiles and static maps before and after splicing (issue 14), as ratios on this shared,
# noisy machine: ROUNDS rounds, each running back to back the binary BEFORE (a build of the commit
# before the change) and the binary of BUILD, each on a fresh server, over HTTP at c50 for S
# seconds: labelled z6 tiles walked uncached as `make bench` walks them, and the static map of
# `make bench` (1024x768, 20 labels, a marker whose text varies: uncached). Prints one line per
# phase; bench/RESULTS.md is edited by hand from this. Each binary reads the baked tiles of its
# own bake (BEFORE_ASSETS, AFTER_ASSETS: --assets-dir, default assets) — a bake changes the stored
# tiles' form; ONLY=tile or ONLY=static runs one of the two phases.
#   BEFORE=/tmp/before/build/cartouche BUILD=build bench/splice_tiles.sh   (S=5, ROUNDS=3)
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
PORT=${BENCH_PORT:-18097}
URL=http://127.0.0.1:$PORT
S=${S:-5}
ROUNDS=${ROUNDS:-3}
static="/v1/static?center=48.8,2.3&zoom=4&size=1024x768"
for i in $(seq 20); do static="$static&label=$((30 + i)),$((i * 3 - 20)),Label%20$i"; done

BEFORE_ASSETS=${BEFORE_ASSETS:-assets}
AFTER_ASSETS=${AFTER_ASSETS:-assets}
ONLY=${ONLY:-}

phase() { # binary assets label env...
    local bin=$1 assets=$2 label=$3; shift 3
    case "$label" in *tile-labelled*) [ "$ONLY" = static ] && return 0;; *) [ "$ONLY" = tile ] && return 0;; esac
    $bin --listen 127.0.0.1:$PORT --assets-dir "$assets" --max-connections 2000 >/dev/null 2>&1 &
    local pid=$!
    for _ in $(seq 100); do curl -sf $URL/readyz >/dev/null && break; sleep 0.1; done
    local res
    res=$(env "$@" wrk -t2 -c50 -d${S}s --latency --timeout 30s -s bench/wrk_report.lua "$URL/" 2>&1 | grep '^RESULT')
    kill $pid; wait $pid 2>/dev/null || true
    echo "$label $(uptime | sed 's/.*load average: //') ${res#RESULT }"
}
for r in $(seq "$ROUNDS"); do
    for which in before after; do
        bin=$([ $which = before ] && echo "$BEFORE" || echo "$BUILD/cartouche")
        assets=$([ $which = before ] && echo "$BEFORE_ASSETS" || echo "$AFTER_ASSETS")
        phase "$bin" "$assets" "round $r $which tile-labelled-z6" TILE_LAYER=bluemarble TILE_Z=6
        phase "$bin" "$assets" "round $r $which static-1024x768-20-labels" PATH_PREFIX="$static&marker=0,0,"
    done
done
