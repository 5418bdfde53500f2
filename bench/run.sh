#!/usr/bin/env bash
# The capacity harness (`make bench`): against the real binary on loopback, bounded in time.
# Phases: the hardware bound (render+encode on N threads, no HTTP), W1 uncached at c50/c200/c1000,
# W1 cache hit, tiles and static map where they exist, 5 bursts of 1000 connections x 5 requests,
# the hostile mix (bench/mix.sh: W1 c1000 with slow readers, uploads and many-key bodies),
# with the server's VmHWM after each phase. Writes bench/RESULTS.md.
# BENCH_QUICK=1 shortens every phase (for a smoke run).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
BIN=$BUILD/cartouche
PORT=${BENCH_PORT:-18090}
URL=http://127.0.0.1:$PORT
D_LONG=15s; D=10s; BOUND_S=10
if [ "${BENCH_QUICK:-}" = 1 ]; then D_LONG=3s; D=3s; BOUND_S=3; fi
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
threads=$(nproc)
out=$(mktemp -d)
results=()

vmhwm() { awk '/VmHWM/ {print $2}' /proc/"$SERVER_PID"/status; }

echo "== hardware bound: render+encode on $threads threads, ${BOUND_S}s"
bound=$($BUILD/bench/render_bench bound "$threads" "$BOUND_S")
echo "$bound"
bound_rps=$(echo "$bound" | sed -n 's/.*cards_per_s=\([0-9.]*\).*/\1/p')
split=$($BUILD/bench/render_bench split 200)
echo "$split"
# The largest fixture of each game (companion files such as DeviceSorting.txt are not binding files).
largest=$(for g in elite msfs squadrons dcs sc bms il2; do
    ls -S tests/data/bindings/${g}_* 2>/dev/null | grep -vi 'devicesorting\|devices\.txt\|\.cfg$' | head -1; done)
refcard=$($BUILD/bench/render_bench refcard $largest)
echo "$refcard"
printf '%s\n' "$refcard" > "$out/refcard.txt"

$BIN --listen 127.0.0.1:$PORT --max-connections 2000 >"$out/server.log" 2>&1 &
SERVER_PID=$!
trap 'kill $SERVER_PID 2>/dev/null || true; rm -rf "$out"' EXIT
for _ in $(seq 100); do curl -sf $URL/readyz >/dev/null && break; sleep 0.1; done

run_wrk() { # label conns duration env...
    local label=$1 c=$2 d=$3; shift 3
    local line
    line=$(env "$@" wrk -t2 -c"$c" -d"$d" --latency --timeout 30s -s bench/wrk_report.lua "$URL/" \
           2>&1 | grep '^RESULT' | sed 's/^RESULT //')
    local hwm; hwm=$(vmhwm)
    echo "$label: $line hwm_kb=$hwm"
    results+=("$label|$line|$hwm")
}

run_wrk "W1 uncached c50" 50 $D_LONG PATH_PREFIX=/v1/cards/w1.jpg?seed=
run_wrk "W1 uncached c200" 200 $D PATH_PREFIX=/v1/cards/w1.jpg?seed=
run_wrk "W1 uncached c1000" 1000 $D PATH_PREFIX=/v1/cards/w1.jpg?seed=
curl -sf -o /dev/null "$URL/v1/cards/w1.jpg?seed=1"
run_wrk "W1 cache hit c50" 50 $D FIXED_PATH=/v1/cards/w1.jpg?seed=1
if curl -sf -o /dev/null "$URL/v1/tiles/bluemarble/3/4/2.jpg"; then
    run_wrk "tile unlabelled c50" 50 $D FIXED_PATH=/v1/tiles/bluemarble/3/4/2.jpg
    run_wrk "tile labelled uncached c50" 50 $D TILE_LAYER=bluemarble TILE_Z=6
fi
if curl -sf -o /dev/null "$URL/v1/static?center=48.8,2.3&zoom=4&size=1024x768"; then
    static="/v1/static?center=48.8,2.3&zoom=4&size=1024x768"
    for i in $(seq 20); do static="$static&label=$((30 + i)),$((i * 3 - 20)),Label%20$i"; done
    run_wrk "static 1024x768 20 labels c50" 50 $D PATH_PREFIX="$static&marker=0,0,"
fi

echo "== bursts: 5 x 1000 connections x 5 requests"
burst=$(/usr/bin/python3 bench/burst.py $PORT "/v1/cards/w1.jpg?seed=" 5 1000 5 | grep '^RESULT' | sed 's/^RESULT //')
burst_hwm=$(vmhwm)
echo "bursts: $burst hwm_kb=$burst_hwm"
healthy=$(curl -s -o /dev/null -w '%{http_code}' $URL/healthz)
echo "healthz after bursts: $healthy"
kill -TERM $SERVER_PID; wait $SERVER_PID || true

echo "== hostile mix: W1 c1000 + 200 slow readers + 50 x 4 MB uploads + many-key JSON bodies"
mix=$(BUILD=$BUILD MIX_S=${D%s} bash bench/mix.sh | grep '^RESULT' | sed 's/^RESULT //')
echo "hostile mix: $mix"

# The sections other scripts keep in RESULTS.md (from the first "## " heading on: bench/splice.sh's
# "Encode only what changed", the hostile mix, ...) survive this rewrite of the capacity tables.
kept=$(awk '/^## /{keep=1} keep' bench/RESULTS.md 2>/dev/null || true)
/usr/bin/python3 - "$bound_rps" "$split" "$burst" "$burst_hwm" "$healthy" "$out/refcard.txt" "$mix" "${results[@]}" <<'PY' > "$out/RESULTS.head.md"
import datetime, json, platform, subprocess, sys
bound = float(sys.argv[1]); split = sys.argv[2]; burst = json.loads(sys.argv[3])
burst_hwm = int(sys.argv[4]); healthy = sys.argv[5]; refcard = open(sys.argv[6]).read()
mix = json.loads(sys.argv[7]); rows = sys.argv[8:]
def ver(cmd):
    try:
        return subprocess.run(cmd, capture_output=True, text=True, shell=True).stdout.strip().splitlines()[0]
    except Exception:
        return "?"
cpu = ver("grep -m1 'model name' /proc/cpuinfo | cut -d: -f2")
print("# Bench results\n")
print(f"Run {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC by `make bench` on {platform.node()}: "
      f"{ver('nproc')} cores ({cpu.strip()}), {ver('uname -r')}, {ver('wrk --version 2>&1 | head -1')}, "
      f"libjpeg-turbo {ver('pkg-config --modversion libturbojpeg')}, cairo {ver('pkg-config --modversion cairo')}.")
print("All load from the same machine over loopback; figures are noisy, compare ratios within this run.\n")
print(f"Naive bound (copy the background, draw every label, encode the whole frame with tjCompress2; no HTTP, "
      f"all cores): **{bound:.0f} cards/s**. One thread (the server's spliced W1 pipeline, then the naive card's "
      f"split): `{split}`.\n")
print("| phase | 2xx/s | × naive bound | all req/s | p50 ms | p99 ms | statuses | socket errors | peak RSS MB |")
print("|---|---|---|---|---|---|---|---|---|")
peak = burst_hwm
for r in rows:
    label, js, hwm = r.split("|")
    d = json.loads(js); hwm = int(hwm); peak = max(peak, hwm)
    ok = d["statuses"].get("2xx", 0) / d["seconds"]
    pct = f"{ok / bound:.1f}×" if "W1 uncached" in label else ""
    st = ", ".join(f"{k}: {v}" for k, v in sorted(d["statuses"].items()))
    errs = f"connect {d['connect_errors']}, read {d['read_errors']}, write {d['write_errors']}, timeout {d['timeouts']}"
    print(f"| {label} | {ok:.0f} | {pct} | {d['rps']:.0f} | {d['p50_ms']:.1f} | {d['p99_ms']:.1f} | {st} | {errs} | {hwm / 1024:.1f} |")
print(f"\nBursts (5 x 1000 concurrent connections x 5 requests, unique URLs): {burst['sent']} sent, "
      f"{burst['200']} answered 200, {burst['503']} answered 503, {burst['other']} other, "
      f"{burst['unanswered']} unanswered ({burst['errors']} connection errors), {burst['seconds']} s; "
      f"/healthz afterwards: {healthy}; peak RSS {burst_hwm / 1024:.1f} MB.\n")
print(f"**Peak RSS through all phases: {peak / 1024:.1f} MB.**\n")
w1 = mix["w1"]; idle = mix["idle_kb"] / 1024; hwm = mix["hwm_kb"] / 1024
print("Hostile mix (fresh server, `--memory-budget-mb " f"{mix['budget_mb']}`, bench/mix.sh): W1 uncached c1000 "
      "with 200 slow readers (1 KB/s, distinct @2x PNGs), 50 concurrent 4 MB uploads and many-key JSON bodies:\n")
print("| phase | W1 2xx/s | % of clean W1 c1000 | other statuses | peak RSS MB | budget + idle MB | /healthz after |")
print("|---|---|---|---|---|---|---|")
print(f"| hostile mix | {mix['w1_2xx_per_s']:.0f} | {100 * mix['w1_2xx_per_s'] / max(mix['clean_w1_2xx_per_s'], 1):.0f} % "
      f"(clean {mix['clean_w1_2xx_per_s']:.0f}) | {', '.join(f'{k}: {v}' for k, v in mix['statuses'].items())} | "
      f"{hwm:.1f} | {mix['budget_mb'] + idle:.1f} | {mix['healthy']} |\n")
print("Controller reference cards, one thread, no HTTP (`render_bench refcard`): for the largest fixture "
      "of each game, its parse time, and per card and page the draw time and draw + JPEG encode time "
      "(1920x1080) with the smallest text size used:\n")
print("```\n" + refcard.strip() + "\n```")
PY
{ cat "$out/RESULTS.head.md"; [ -z "$kept" ] || printf '\n%s\n' "$kept"; } > bench/RESULTS.md
cat bench/RESULTS.md
