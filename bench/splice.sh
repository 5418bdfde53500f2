#!/usr/bin/env bash
# The splicing figures (issue 14), as ratios that survive this shared, noisy machine: ROUNDS rounds,
# each running back to back, for W1-all and W1, the naive bound (copy + draw + whole-frame
# tjCompress2 on all cores, no HTTP), the spliced pipeline on all cores (no HTTP), and the real
# binary over HTTP at c50 (uncached); a ratio is taken within its round and the median reported.
# Then the one-thread split (render_bench splice). bench/RESULTS.md is edited by hand from this.
#   BUILD=build-x bench/splice.sh      (SPLICE_S seconds per phase, default 5; ROUNDS, default 3)
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
BIN=$BUILD/cartouche
PORT=${BENCH_PORT:-18095}
URL=http://127.0.0.1:$PORT
S=${SPLICE_S:-5}
ROUNDS=${ROUNDS:-3}
threads=$(nproc)

$BIN --listen 127.0.0.1:$PORT --max-connections 2000 >/dev/null 2>&1 &
SERVER_PID=$!
trap 'kill $SERVER_PID 2>/dev/null || true' EXIT
for _ in $(seq 100); do curl -sf $URL/readyz >/dev/null && break; sleep 0.1; done
query=$(/usr/bin/python3 -c '
import json, urllib.parse
t = json.load(open("templates/w1.json"))
print("/v1/cards/w1.jpg?" + "&".join("text.%s=%s%%20%%23{N}" % (s["id"], urllib.parse.quote(s["default"]))
                                      for s in t["slots"]))')
curl -sf -o /dev/null "$URL/v1/cards/w1.jpg?seed=1" # the background's segments, once

rate() { sed -n 's/.*cards_per_s=\([0-9.]*\).*/\1/p'; }
http_ok() { /usr/bin/python3 -c 'import json,sys; d=json.loads(sys.stdin.read().split("RESULT ",1)[1]); print("%.1f" % (d["statuses"].get("2xx",0)/d["seconds"]))'; }
lines=()
for r in $(seq "$ROUNDS"); do
    for v in all one; do
        arg=$([ $v = all ] && echo all || true)
        naive=$($BUILD/bench/render_bench bound "$threads" "$S" $arg | rate)
        spliced=$($BUILD/bench/render_bench spliced "$threads" "$S" $arg | rate)
        if [ $v = all ]; then
            res=$(W1_ALL_QUERY=$query wrk -t2 -c50 -d${S}s --latency --timeout 30s -s bench/w1_all.lua "$URL/" 2>&1 | grep '^RESULT')
        else
            res=$(PATH_PREFIX=/v1/cards/w1.jpg?seed= wrk -t2 -c50 -d${S}s --latency --timeout 30s -s bench/wrk_report.lua "$URL/" 2>&1 | grep '^RESULT')
        fi
        http=$(echo "$res" | http_ok)
        name=$([ $v = all ] && echo W1-all || echo W1)
        echo "round $r $name: naive bound $naive cards/s, spliced (no HTTP) $spliced cards/s, HTTP c50 $http 2xx/s | $res"
        lines+=("$name $naive $spliced $http")
    done
done
echo "peak RSS: $(awk '/VmHWM/ {print $2}' /proc/$SERVER_PID/status) kB"
/usr/bin/python3 - "${lines[@]}" <<'PY'
import statistics, sys
rows = [l.split() for l in sys.argv[1:]]
for name in ("W1-all", "W1"):
    r = [(float(n), float(s), float(h)) for v, n, s, h in rows if v == name]
    print(f"{name}: median over {len(r)} rounds: spliced/naive (no HTTP) {statistics.median(s / n for n, s, h in r):.2f}x, "
          f"HTTP c50/naive bound {statistics.median(h / n for n, s, h in r):.2f}x "
          f"(naive {statistics.median(n for n, s, h in r):.0f}, spliced {statistics.median(s for n, s, h in r):.0f}, "
          f"HTTP {statistics.median(h for n, s, h in r):.0f} per s)")
PY
$BUILD/bench/render_bench splice 300
