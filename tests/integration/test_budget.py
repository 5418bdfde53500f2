"""The memory budget covers everything the process holds for its clients (issue 12, "A memory budget
that covers everything"): request bodies as they arrive, upload copies until their job ends, render
surfaces, finished images and the replies slow readers have not taken yet.

A bounded hostile mix is run from Python threads against 127.0.0.1 — @2x card renders, 20 concurrent
3 MiB uploads, 30 slow readers taking distinct @2x PNGs at 1 KB/s, many-key JSON bodies — and then:

- only 200/201/304/413/422/503 came back, and /healthz answered throughout;
- peak RSS (VmHWM) <= the budget + the idle process's RSS (measured after warming) + SLACK_MIB;
- 10 s after the load, RSS is back within the render cache's share + SETTLE_EXTRA_MIB of the idle RSS.

SLACK_MIB covers what the budget does not count yet: the template's @2x background is in the idle
figure (warmed first), but each worker's encode buffer (a PNG's bytes before they are copied into
a charged blob), a JSON body's parsed tree beyond the four times its size charged with it, libevent's
read chunk (256 KB) on a connection whose body was just refused, and malloc arena fragmentation are
not. Measured on this change (2 workers, 2-core machine, five runs): VmHWM minus (idle + budget)
was -6.0 to -5.7 MiB at 32 MiB and -24.4 to -19.4 MiB at 64 MiB; on the commit before it the same mix
reached +77 MiB (32) and +54 MiB (64). 12 MiB is the uncharged items' size (two encode buffers of
about 2 MB, one many-key JSON tree of about 6 MB beyond its charge) with room for fragmentation.

SETTLE_EXTRA_MIB: after the load the render cache (a quarter of the budget) keeps its finished images, and
glibc keeps free chunks it cannot give back (fragmented between live ones); the idle trim returns
the rest. Measured 10 s after the load: +8.9 MiB above idle at 32 MiB, +19.2 to +21.5 at 64; on
the commit before this change +53 (32) and +49 (64); this change with only the idle trim left out
+17.8 (32) and +29.5 (64, over the bound). The bound is the cache's share + 12 MiB.

Under AddressSanitizer RSS means nothing (shadow memory, quarantined frees that are never reused
for a while): the RSS bounds are not checked there, the statuses and /healthz still are."""
import json
import os
import random
import socket
import threading
import time
import http.client

import pytest

SLACK_MIB = 12
SETTLE_EXTRA_MIB = 12
OK = {200, 201, 304, 413, 422, 503}
UPLOAD_BYTES = 3 << 20
ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def status_kb(pid, field):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def sanitized(pid):
    with open(f"/proc/{pid}/maps") as f:
        maps = f.read()
    return "libasan" in maps or "libtsan" in maps


def big_binds(n=0, size=UPLOAD_BYTES):
    """A real-shaped Elite .binds grown to 3 MiB: the fixture's bindings under preset name n (each
    upload distinct, so each is parsed and stored), then long comments of plausible text (as
    players' files carry old commented-out blocks)."""
    with open(os.path.join(ROOT, "tests", "data", "bindings", "elite_warthog.binds"), "rb") as f:
        base = f.read().replace(b'PresetName="Warthog HOSAS Custom"', b'PresetName="Budget %d"' % n, 1)
    end = base.rindex(b"</Root>")
    line = b"<!-- <YawLeftButton><Primary Device=\"T16000M\" Key=\"Joy_1\" /></YawLeftButton> -->\r\n"
    pad = line * ((size - len(base)) // len(line))
    return base[:end] + pad + base[end:]


class Mix:
    def __init__(self, port, budget_mb):
        self.port = port
        self.budget_mb = budget_mb
        self.statuses = {}
        self.lock = threading.Lock()
        self.bad = []
        self.health_worst = 0.0
        self.stop = threading.Event()
        self.bodies = {}  # many-key JSON bodies by key count

    def note(self, what, status, text=""):
        with self.lock:
            self.statuses[status] = self.statuses.get(status, 0) + 1
            if status not in OK:
                self.bad.append((what, status, text[:200]))

    def request(self, method, path, body=None, headers=None, timeout=60):
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            c.request(method, path, body=body, headers=headers or {})
            r = c.getresponse()
            data = r.read()
            return r.status, data
        except (ConnectionError, socket.timeout, http.client.HTTPException) as e:
            # A refused body (503/413) closes the connection while the client is still sending;
            # the status line may be lost to a reset. Not a wrong answer: counted apart.
            return "reset:" + type(e).__name__, b""
        finally:
            c.close()

    def card(self, i):
        st, data = self.request("GET", "/v1/cards/og.png?text.title=r%d&scale=2" % i)
        if isinstance(st, int):
            self.note("card", st, data.decode("utf-8", "replace"))

    def renders(self, tid):
        i = 0
        while not self.stop.is_set():
            self.card(tid * 10_000 + i)
            i += 1

    def upload(self, body):
        st, data = self.request("POST", "/v1/refcards", body=body,
                                headers={"Content-Type": "application/octet-stream"}, timeout=90)
        if isinstance(st, int):
            self.note("upload", st, data.decode("utf-8", "replace"))
        else:
            with self.lock:
                self.statuses[st] = self.statuses.get(st, 0) + 1

    def many_keys(self, n):
        # Made once per size: the client's own JSON encoding took a core the server then lacked.
        body = self.bodies.get(n)
        if body is None:
            text = {"title": "k"}
            text.update({"k%d" % i: "x" for i in range(n)})
            body = self.bodies[n] = json.dumps({"text": text}).encode()
        st, data = self.request("POST", "/v1/cards/og.jpg", body=body,
                                headers={"Content-Type": "application/json"})
        if isinstance(st, int):
            self.note("many-keys", st, data.decode("utf-8", "replace"))

    def json_stream(self, rate=0):
        """Many-key bodies one after another: as fast as they are answered, or rate a second."""
        t = time.time()
        while not self.stop.is_set():
            self.many_keys(random.choice([600, 5000, 60_000]))
            if rate:
                t += 1.0 / rate
                self.stop.wait(max(0.0, t - time.time()))

    def slow_reader(self, i, seconds):
        """Asks for a distinct @2x PNG with a tiny receive window, then takes 1 KB a second."""
        s = socket.socket()
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        s.settimeout(5)
        try:
            s.connect(("127.0.0.1", self.port))
            s.sendall(("GET /v1/cards/og.png?text.title=slow%d&scale=2 HTTP/1.1\r\nHost: x\r\n\r\n" % i).encode())
            end = time.time() + seconds
            first = b""
            while time.time() < end:
                chunk = s.recv(1024)
                if not chunk:
                    break
                if not first:
                    first = chunk
                time.sleep(1)
            if first.startswith(b"HTTP/1.1 "):
                self.note("slow", int(first[9:12]), first.decode("latin-1")[:200])
        except OSError:
            pass
        finally:
            s.close()

    def health(self):
        while not self.stop.is_set():
            t0 = time.time()
            st, _ = self.request("GET", "/healthz", timeout=10)
            dt = time.time() - t0
            with self.lock:
                self.health_worst = max(self.health_worst, dt)
                if st != 200:
                    self.bad.append(("healthz", st, ""))
            time.sleep(0.2)


def run_mix(port, budget_mb, pid):
    m = Mix(port, budget_mb)
    stamp = int(time.time() * 1000) % 1_000_000_000
    rss_peak = [0]

    def sample():
        while not m.stop.is_set():
            rss_peak[0] = max(rss_peak[0], status_kb(pid, "VmRSS"))
            time.sleep(0.05)

    bg = [threading.Thread(target=f, args=a, daemon=True) for f, a in
          [(sample, ()), (m.health, ()), (m.json_stream, ()), (m.renders, (1,)), (m.renders, (2,))]]
    for t in bg:
        t.start()
    fg = [threading.Thread(target=m.slow_reader, args=(i, 6), daemon=True) for i in range(30)]
    fg += [threading.Thread(target=m.upload, args=(big_binds(stamp + i),), daemon=True) for i in range(20)]
    for t in fg:
        t.start()
    for t in fg:
        t.join(120)
    m.stop.set()
    for t in bg:
        t.join(60)
    return m, rss_peak[0]


@pytest.mark.parametrize("budget_mb", [32, 64])
def test_hostile_mix_stays_in_budget(start_server, budget_mb):
    s = start_server("--memory-budget-mb", budget_mb, "--io-timeout-s", 3)
    pid = s.proc.pid
    # Warm: the template's @2x background is built on the first @2x render and kept for the
    # process's life (template.c, not charged to the budget): it belongs to the idle figure.
    assert s.get("/v1/cards/og.png?text.title=warm").status_code == 200
    assert s.get("/v1/cards/og.png?text.title=warm&scale=2").status_code == 200
    time.sleep(2.5)
    idle_kb = status_kb(pid, "VmRSS")
    m, rss_peak_kb = run_mix(s.port, budget_mb, pid)
    hwm_kb = status_kb(pid, "VmHWM")
    print(f"budget {budget_mb} MiB: idle RSS {idle_kb / 1024:.1f} MiB, peak sampled {rss_peak_kb / 1024:.1f}, "
          f"VmHWM {hwm_kb / 1024:.1f} (bound {budget_mb + idle_kb / 1024 + SLACK_MIB:.1f}), "
          f"statuses {m.statuses}, /healthz worst {m.health_worst:.2f}s")
    assert not m.bad, m.bad[:10]
    assert m.statuses.get(200, 0) > 0 and m.statuses.get(503, 0) + m.statuses.get(201, 0) > 0, m.statuses
    assert s.get("/healthz", timeout=5).status_code == 200
    assert s.get("/v1/cards/og.png?text.title=after").status_code == 200
    time.sleep(10)
    settled_kb = status_kb(pid, "VmRSS")
    print(f"RSS 10 s after the load: {settled_kb / 1024:.1f} MiB "
          f"(bound {idle_kb / 1024 + budget_mb / 4 + SETTLE_EXTRA_MIB:.1f})")
    if sanitized(pid):
        # AddressSanitizer build: RSS is shadow memory and quarantine, not the budget's; the
        # statuses and /healthz above are what this build checks (run-all.sh fails on skips).
        return
    assert hwm_kb <= (budget_mb + SLACK_MIB) * 1024 + idle_kb, \
        f"VmHWM {hwm_kb / 1024:.1f} MiB > budget {budget_mb} + idle {idle_kb / 1024:.1f} + {SLACK_MIB}"
    assert settled_kb <= idle_kb + (budget_mb / 4 + SETTLE_EXTRA_MIB) * 1024, \
        f"RSS {settled_kb / 1024:.1f} MiB 10 s after the load, idle was {idle_kb / 1024:.1f}"

