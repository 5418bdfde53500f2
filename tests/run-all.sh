#!/usr/bin/env bash
# Runs every suite: the layout checks (tools/check_*.py), unit (cmocka) and integration (pytest) on the normal build, then again on
# an ASan+UBSan build; then the fuzz smoke run if clang is there, then the concurrency tests on a
# ThreadSanitizer build (tests/tsan/run.sh). Ends with one summary line.
# SUITES="unit integration" limits what runs (e.g. SUITES=unit tests/run-all.sh).
set -u
cd "$(dirname "$0")/.."
SUITES=${SUITES:-"layout unit globals integration asan-unit asan-integration fuzz tsan"}
PY=/usr/bin/python3
pass=0; fail=0; skipped=0; failed_steps=""

count_pytest() { # adds pytest's "N passed, M failed" from log $1
    local p f
    p=$(grep -Eo '[0-9]+ passed' "$1" | tail -1 | grep -Eo '[0-9]+' || true)
    f=$(grep -Eo '[0-9]+ (failed|error)' "$1" | awk '{s+=$1} END {print s+0}')
    s=$(grep -Eo '[0-9]+ skipped' "$1" | tail -1 | grep -Eo '[0-9]+' || true)
    pass=$((pass + ${p:-0})); fail=$((fail + ${f:-0})); skipped=$((skipped + ${s:-0}))
}

count_unit() {
    local p f
    p=$(grep -Eo '^unit: [0-9]+ passed' "$1" | grep -Eo '[0-9]+' || true)
    f=$(grep -Eo '[0-9]+ failed' "$1" | tail -1 | grep -Eo '[0-9]+' || true)
    pass=$((pass + ${p:-0})); fail=$((fail + ${f:-0}))
}

step() { # name, then the command
    local name=$1; shift
    local log; log=$(mktemp)
    echo "=== $name"
    "$@" 2>&1 | tee "$log"
    local rc=${PIPESTATUS[0]} # of the command, not tee (inside an if, it was the if's own status)
    case $name in
        *unit*) count_unit "$log" ;;
        *integration*) count_pytest "$log" ;;
        *) if [ "$rc" -eq 0 ]; then pass=$((pass+1)); else fail=$((fail+1)); fi ;;
    esac
    if [ "$rc" -ne 0 ]; then failed_steps="$failed_steps $name"; [ "$(grep -c . "$log")" -gt 0 ] || true; fi
    rm -f "$log"
    return 0
}

for s in $SUITES; do
    case $s in
        # The architecture (issue 13): include graph acyclic and pointing down, the README's
        # source map complete, no mutable file-scope state outside main.c (on the build's objects).
        layout) step includes $PY tools/check_includes.py ;;
        unit) step unit make --no-print-directory -j2 unit ;;
        globals) step globals $PY tools/check_globals.py build ;; # on the objects unit built
        integration) step integration make --no-print-directory integration ;;
        asan-unit) step asan-unit env ASAN_OPTIONS=detect_leaks=1 \
            make --no-print-directory -j2 SANITIZE=address,undefined unit ;;
        asan-integration) step asan-integration env ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 \
            UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
            make --no-print-directory -j2 SANITIZE=address,undefined integration ;;
        fuzz) if [ -x tests/fuzz/run.sh ]; then step fuzz tests/fuzz/run.sh; fi ;;
        tsan) if [ -x tests/tsan/run.sh ]; then step tsan-integration tests/tsan/run.sh; fi ;;
    esac
done

# Nothing is optional: every tool a test needs is installed by `make test-deps`, so a skipped test
# is a lost test (a route or a tool gone missing) and fails the run.
[ "$skipped" -eq 0 ] || failed_steps="$failed_steps skipped-tests($skipped)"
[ -z "$failed_steps" ] || echo "failed steps:$failed_steps"
echo "total: $pass passed, $fail failed, $skipped skipped"
[ -z "$failed_steps" ] && [ "$fail" -eq 0 ]
