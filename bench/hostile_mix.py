#!/usr/bin/env python3
"""The hostile-mix phase of `make bench` (issue 12): against a fresh server on 127.0.0.1:PORT
(process PID, idle), for SECONDS: W1 uncached at c1000 (wrk, bench/wrk_report.lua) while 200 slow
readers take distinct @2x PNGs at 1 KB/s, 50 uploads of 4 MB arrive at once and a stream of
many-key JSON bodies is posted. Prints one RESULT JSON line: the idle RSS, VmHWM and the budget,
W1 2xx/s, the statuses of everything else, and /healthz afterwards. Loopback only, bounded in
count and time. The clients are test_budget.py's (tests/integration)."""
import json
import os
import resource
import subprocess
import sys
import threading
import time
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests", "integration"))
import test_budget as tb  # noqa: E402

port, pid, seconds, budget_mb = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])


def cpu_s():
    """CPU seconds so far of the server, this generator and its children (wrk, once waited for)."""
    f = open("/proc/%d/stat" % pid).read().rsplit(")", 1)[1].split()
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    tck = os.sysconf("SC_CLK_TCK")
    return ((int(f[11]) + int(f[12])) / tck, me.ru_utime + me.ru_stime, kids.ru_utime + kids.ru_stime)


cpu0 = cpu_s()
idle_kb = tb.status_kb(pid, "VmRSS")
m = tb.Mix(port, budget_mb)
env = dict(os.environ, PATH_PREFIX="/v1/cards/w1.jpg?seed=")
wrk = subprocess.Popen(["wrk", "-t2", "-c1000", "-d%ds" % seconds, "--timeout", "30s", "-s",
                        os.path.join(os.path.dirname(__file__), "wrk_report.lua"), "http://127.0.0.1:%d/" % port],
                       env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
time.sleep(0.5)  # wrk's connections first: the mix lands on a loaded server
stamp = int(time.time() * 1000) % 1_000_000_000
json_rate = float(os.environ.get("MIX_JSON_RATE", "0"))  # 0: as fast as they are answered
json_t = threading.Thread(target=m.json_stream, args=(json_rate,), daemon=True)
health_t = threading.Thread(target=m.health, daemon=True)
fg = [threading.Thread(target=m.slow_reader, args=(i, seconds), daemon=True) for i in range(200)]
fg += [threading.Thread(target=m.upload, args=(tb.big_binds(stamp + i, 4_000_000),), daemon=True) for i in range(50)]
for t in [json_t, health_t] + fg:
    t.start()
out = wrk.communicate()[0]
for t in fg:
    t.join(120)
m.stop.set()
json_t.join(60)
health_t.join(60)
cpu1 = cpu_s()
w1 = json.loads([l for l in out.splitlines() if l.startswith("RESULT ")][0][7:])
try:
    healthy = urllib.request.urlopen("http://127.0.0.1:%d/healthz" % port, timeout=10).status
except Exception as e:  # noqa: BLE001
    healthy = str(e)
print("RESULT " + json.dumps({
    "idle_kb": idle_kb, "hwm_kb": tb.status_kb(pid, "VmHWM"), "budget_mb": budget_mb,
    "w1_2xx_per_s": w1["statuses"].get("2xx", 0) / w1["seconds"], "w1": w1,
    "statuses": {str(k): v for k, v in sorted(m.statuses.items(), key=str)}, "bad": m.bad[:5],
    "healthz_worst_s": round(m.health_worst, 2), "healthy": healthy, "json_rate": json_rate,
    "cpu_s": {k: round(b - a, 1) for k, a, b in zip(("server", "generator", "wrk"), cpu0, cpu1)}}))
