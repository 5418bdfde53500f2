#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz/fuzz_*.c, clang + ASan + UBSan, into build-fuzz/) and
# runs each for FUZZ_SECONDS (default 30), FUZZ_JOBS at a time (default 2), seeded from the
# committed corpus tests/fuzz/corpus/<target>/ (new inputs go to build-fuzz/corpus/<target>/,
# the committed seeds are never modified). Any crash, leak, timeout (FUZZ_TIMEOUT seconds for
# one input, default 10) or out-of-memory fails the run with a non-zero exit; the input that
# did it is kept as build-fuzz/artifacts/<target>-crash-… and the last lines of the log printed.
#   tests/fuzz/run.sh                          every target, 30 s each
#   FUZZ_SECONDS=3600 tests/fuzz/run.sh games  one target for an hour
#   build-fuzz/fuzz_games build-fuzz/artifacts/games-crash-…   replay one input
set -u
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
FUZZ_SECONDS=${FUZZ_SECONDS:-30}
FUZZ_JOBS=${FUZZ_JOBS:-2}
FUZZ_TIMEOUT=${FUZZ_TIMEOUT:-10}
OUT=build-fuzz

if ! command -v clang >/dev/null; then
    echo "fuzz: clang is not installed (make test-deps installs clang and libclang-rt-14-dev)" >&2
    exit 1
fi
echo "fuzz: building targets into $OUT/"
mkdir -p "$OUT"
if ! make --no-print-directory -s -f tests/fuzz/fuzz.mk -j2 FUZZ_OUT=$OUT >"$OUT/build.log" 2>&1; then
    tail -40 "$OUT/build.log" >&2
    echo "fuzz: build failed" >&2
    exit 1
fi

if [ $# -gt 0 ]; then
    targets="$*"
else
    targets=$(ls tests/fuzz/fuzz_*.c | sed 's#tests/fuzz/fuzz_\(.*\)\.c#\1#')
fi
mkdir -p "$OUT/artifacts" "$OUT/logs"

# The games target's seeds are the binding test files themselves, made at run time rather than
# committed twice: each once with the auto-detect selector byte (0xff) and, for the good files,
# once with the byte forcing its game (0 elite, 1 msfs2020, 2 squadrons, 3 dcs, 4 starcitizen,
# 5 bms, 6 il2); the BMS and IL-2 pairs also as two-file bundles (selector bit 0x08).
seed_games() {
    local dir="$ROOT/$OUT/seeds/games" f b sel
    rm -rf "$dir" && mkdir -p "$dir"
    for f in "$ROOT"/tests/data/bindings/*; do
        b=$(basename "$f")
        { printf '\377'; head -c 65535 "$f"; } >"$dir/auto_$b"
        case $b in
            elite_*) sel='\000' ;; msfs_*) sel='\001' ;; squadrons_*) sel='\002' ;; dcs_*) sel='\003' ;;
            sc_*) sel='\004' ;; bms_*) sel='\005' ;; il2_*) sel='\006' ;;
            *) continue ;;
        esac
        { printf "$sel"; head -c 65535 "$f"; } >"$dir/$b"
        case $b in dcs_*) # the same with a DCS file name to mutate (selector bit 0x10)
            { printf '\023'; printf 'Config/Input/FA-18C_hornet/joystick/Throttle - HOTAS Warthog {84180FE0-BDD3-11ea-8002-444553540000}.diff.lua\n';
              head -c 65535 "$f"; } >"$dir/named_$b" ;;
        esac
    done
    # companions first, then the main file (the names fuzz_games.c gives the parts)
    local sort key
    for sort in "$ROOT"/tests/data/bindings/bms_*DeviceSorting*.txt; do
        [ -f "$sort" ] || continue
        for key in "$ROOT"/tests/data/bindings/bms_*.key; do
            [ -f "$key" ] || continue
            { printf '\017'; printf 'x\n====\n'; head -c 30000 "$sort"; printf '\n====\n'; printf 'x\n====\n';
              head -c 30000 "$key"; } >"$dir/pair_$(basename "$key")"
        done
    done
    for devs in "$ROOT"/tests/data/bindings/il2_*devices*.txt; do
        [ -f "$devs" ] || continue
        for act in "$ROOT"/tests/data/bindings/il2_*.actions; do
            [ -f "$act" ] || continue
            { printf '\017'; printf 'x\n====\n'; printf 'x\n====\n'; head -c 30000 "$devs"; printf '\n====\n';
              head -c 30000 "$act"; } >"$dir/pair_$(basename "$act")"
        done
    done
}

seed_games

# The bundle target's seeds: small zips made here (a DCS folder, a BMS pair, a path trick).
seed_bundle() {
    local dir="$ROOT/$OUT/seeds/bundle"
    rm -rf "$dir" && mkdir -p "$dir"
    /usr/bin/python3 - "$dir" "$ROOT/tests/data/bindings" <<'PY'
import io, os, sys, zipfile
out, data = sys.argv[1], sys.argv[2]
def z(name, entries):
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w", zipfile.ZIP_DEFLATED) as f:
        for n, path in entries:
            f.writestr(n, open(os.path.join(data, path), "rb").read()[:20000] if path else b"x")
    open(os.path.join(out, name), "wb").write(b.getvalue())
z("dcs.zip", [("Config/Input/F-16C_50/joystick/Joystick - HOTAS Warthog {CCBCFA00-0000-0000-0000-504944564944}.diff.lua", "dcs_warthog_stick.diff.lua"),
              ("Config/Input/F-16C_50/keyboard/Keyboard.diff.lua", "dcs_keyboard.diff.lua")])
z("bms.zip", [("User/Config/BMS - Auto.key", "bms_auto.key"), ("User/Config/DeviceSorting.txt", "bms_DeviceSorting.txt")])
z("tricks.zip", [("../evil.binds", None), ("a\\b.xml", None), ("dir/", None)])
PY
}
seed_bundle

max_len() { # the parsers of uploads take inputs up to the body limit (--max-body, 4 MiB)
    case $1 in games|bundle|multipart) echo 4194304 ;; *) echo 65536 ;; esac
}
export -f max_len

run_one() { # target name; prints one result line, returns libFuzzer's status
    local t=$1 bin="$ROOT/$OUT/fuzz_$1" log="$ROOT/$OUT/logs/$1.log"
    mkdir -p "$ROOT/$OUT/corpus/$t" "$ROOT/$OUT/seeds/$t"
    CARTOUCHE_ROOT="$ROOT" ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 \
    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
        "$bin" -max_total_time="$FUZZ_SECONDS" -timeout="$FUZZ_TIMEOUT" -rss_limit_mb=2048 \
        -max_len="$(max_len "$t")" -print_final_stats=1 -artifact_prefix="$ROOT/$OUT/artifacts/$t-" \
        "$ROOT/$OUT/corpus/$t" "$ROOT/tests/fuzz/corpus/$t" "$ROOT/$OUT/seeds/$t" >"$log" 2>&1
    local rc=$?
    local runs cov
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    cov=$(grep -Eo 'cov: [0-9]+' "$log" | tail -1 | grep -Eo '[0-9]+')
    if [ $rc -eq 0 ]; then
        echo "fuzz: $t ok (${runs:-?} runs, coverage ${cov:-?} edges, ${FUZZ_SECONDS}s)"
    else
        echo "fuzz: $t FAILED (exit $rc) — log $OUT/logs/$t.log, input in $OUT/artifacts/"
        grep -E 'ERROR:|runtime error|invariant failed|SUMMARY|Test unit written' "$log" | head -8 | sed 's/^/    /'
    fi
    return $rc
}
export -f run_one
export ROOT OUT FUZZ_SECONDS FUZZ_TIMEOUT

echo "fuzz: running ${targets//$'\n'/ } for ${FUZZ_SECONDS}s each, $FUZZ_JOBS at a time"
printf '%s\n' $targets | xargs -P "$FUZZ_JOBS" -I{} bash -c 'run_one {}' >"$OUT/fuzz-summary.txt"
status=$?
cat "$OUT/fuzz-summary.txt"
ok=$(grep -c ' ok ' "$OUT/fuzz-summary.txt")
bad=$(grep -c 'FAILED' "$OUT/fuzz-summary.txt")
echo "fuzz: $ok targets passed, $bad failed"
[ $status -eq 0 ] && [ "$bad" -eq 0 ]
