#!/usr/bin/env bash
# ThreadSanitizer run of the concurrency tests: builds build-thread/ (make SANITIZE=thread) and
# runs the integration suites that drive the worker pool, the completion hand-off to the I/O
# loop, single-flight coalescing, admission control, the memory budget, resets mid-render and
# the SIGTERM drain (test_foundation, test_hostile, test_signals, test_tiles) against it. Every
# server process writes its TSan reports to build-thread/tsan-reports/; any report fails the run
# (and the process exits 66, which fails the test that stopped it). Suppressions, each with its
# reason: tests/tsan/suppressions.txt (uninstrumented Debian libraries only). See README.md.
#   tests/tsan/run.sh                     the default set
#   tests/tsan/run.sh tests/integration   every integration test (about 70 s more)
set -u
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
OUT=build-thread
SUITES=${*:-"tests/integration/test_foundation.py tests/integration/test_hostile.py tests/integration/test_signals.py tests/integration/test_tiles.py"}

if ! make --no-print-directory -s -j2 SANITIZE=thread all >"/tmp/cartouche-tsan-build.$$" 2>&1; then
    tail -30 "/tmp/cartouche-tsan-build.$$" >&2
    rm -f "/tmp/cartouche-tsan-build.$$"
    echo "tsan: build failed" >&2
    exit 1
fi
rm -f "/tmp/cartouche-tsan-build.$$"
REPORTS="$ROOT/$OUT/tsan-reports"
rm -rf "$REPORTS"
mkdir -p "$REPORTS"
# history_size=4: enough history for the previous access of a race across a whole render.
export TSAN_OPTIONS="suppressions=$ROOT/tests/tsan/suppressions.txt log_path=$REPORTS/tsan history_size=4 second_deadlock_stack=1 halt_on_error=0 exitcode=66"
# shellcheck disable=SC2086
CARTOUCHE_BIN="$ROOT/$OUT/cartouche" /usr/bin/python3 -m pytest -q -p no:cacheprovider $SUITES
rc=$?
n=$(ls "$REPORTS" | wc -l)
if [ "$n" -gt 0 ]; then
    echo "tsan: $n server processes reported races or lock errors:"
    grep -h "SUMMARY: ThreadSanitizer" "$REPORTS"/* | sort | uniq -c | sort -rn | head -20
    echo "tsan: full reports in $OUT/tsan-reports/"
    exit 1
fi
echo "tsan: no reports"
exit $rc
