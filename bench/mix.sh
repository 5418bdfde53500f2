#!/usr/bin/env bash
# The hostile-mix row of `make bench` (issue 12): W1 uncached at c1000 alone on a fresh server
# (the clean figure), then on another fresh server the same W1 load with 200 slow readers (1 KB/s,
# distinct @2x PNGs), 50 concurrent 4 MB uploads and a stream of many-key JSON bodies
# (bench/hostile_mix.py). Prints one RESULT JSON line. MIX_BUDGET_MB (default 64), MIX_S (10),
# MIX_JSON_RATE (many-key bodies a second; 0, the default: each sent as soon as the last is answered),
# MIX_REFUSAL_RATE (the server's --refusal-rate; unset: its default, 100).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
BIN=$BUILD/cartouche
PORT=${MIX_PORT:-18091}
URL=http://127.0.0.1:$PORT
S=${MIX_S:-10}
BUDGET=${MIX_BUDGET_MB:-64}
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
db=$(mktemp -d)
PID=
trap '[ -z "$PID" ] || kill $PID 2>/dev/null || true; rm -rf "$db"' EXIT

start() {
    $BIN --listen 127.0.0.1:$PORT --max-connections 2000 --memory-budget-mb "$BUDGET" \
         ${MIX_REFUSAL_RATE:+--refusal-rate "$MIX_REFUSAL_RATE"} \
         --db-path "$db/uploads-$1.db" >"$db/server-$1.log" 2>&1 &
    PID=$!
    for _ in $(seq 100); do curl -sf $URL/readyz >/dev/null && break; sleep 0.1; done
    # warm: fonts, templates and the @2x background the mix draws on (kept for the process's life)
    curl -sf -o /dev/null "$URL/v1/cards/w1.jpg?seed=1"
    curl -sf -o /dev/null "$URL/v1/cards/og.png?text.title=warm&scale=2"
    sleep 2
}
stop() { kill -TERM $PID; wait $PID || true; PID=; }

start clean
clean=$(PATH_PREFIX=/v1/cards/w1.jpg?seed= wrk -t2 -c1000 -d${S}s --timeout 30s -s bench/wrk_report.lua "$URL/" \
        2>&1 | grep '^RESULT' | sed 's/^RESULT //')
stop
start mix
mix=$(/usr/bin/python3 bench/hostile_mix.py $PORT $PID "$S" "$BUDGET" | grep '^RESULT' | sed 's/^RESULT //')
stop
/usr/bin/python3 -c 'import json,sys; c=json.loads(sys.argv[1]); m=json.loads(sys.argv[2]);
m["clean_w1_2xx_per_s"]=c["statuses"].get("2xx",0)/c["seconds"]; m["clean_w1"]=c; print("RESULT "+json.dumps(m))' "$clean" "$mix"
