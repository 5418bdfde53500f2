"""Signals and durability against the real binary: SIGTERM drains under load (in-flight requests
finish, new connections are refused, /readyz says 503 to a connection opened before, exit 0
within the deadline); SIGHUP swaps templates atomically and keeps the old set when the new one
is broken; kill -9 in the middle of a stream of uploads loses none that was answered 201."""
import http.client
import json
import os
import shutil
import signal
import socket
import threading
import time

import pytest
import requests

from conftest import ROOT, wait_for

pytest.register_assert_rewrite("reliability_report")
from reliability_report import case  # noqa: E402  (after the rewrite registration)

pytest_plugins = ["reliability_report"]
DATA = os.path.join(ROOT, "tests", "data", "bindings")


@case(sends="1 worker, 8 distinct 2x PNG renders in flight plus a keep-alive connection opened before; "
            "SIGTERM; then /readyz on the keep-alive connection and a new connection attempt",
      expected="all 8 renders 200; /readyz 503 while draining; new connections refused; exit 0 "
               "within --drain-s 20")
def test_sigterm_drains_under_load(start_server, observe):
    s = start_server("--threads", "1", "--deadline-ms", "60000", "--drain-s", "20")
    keep = http.client.HTTPConnection("127.0.0.1", s.port, timeout=30)
    keep.request("GET", "/healthz")
    keep.getresponse().read()
    results = {}

    def render(i):
        try:
            r = requests.get(f"{s.url}/v1/cards/w1.png?seed={7000 + i}&scale=2", timeout=60)
            results[i] = (r.status_code, len(r.content))
        except requests.RequestException as e:
            results[i] = (repr(e), 0)

    base = s.metric("cartouche_renders_total")

    def all_received_and_queued():
        # Every request is a job somewhere (queued, rendering or done), and enough of them still
        # wait that the server is surely draining when /readyz is asked.
        q, f, d = (s.metric(m) for m in ("cartouche_queue_depth", "cartouche_renders_in_flight",
                                         "cartouche_renders_total"))
        return q + f + d - base == 8 and q >= 4

    ts = [threading.Thread(target=render, args=(i,)) for i in range(8)]
    for t in ts:
        t.start()
    assert wait_for(all_received_and_queued, 20, step=0.01), "renders did not queue"
    t_sig = time.time()
    s.proc.send_signal(signal.SIGTERM)
    time.sleep(0.1)
    keep.request("GET", "/readyz")
    ready = keep.getresponse()
    ready_status, ready_body = ready.status, ready.read()
    refused = False
    try:
        socket.create_connection(("127.0.0.1", s.port), timeout=2).close()
    except ConnectionRefusedError:
        refused = True
    rc = s.proc.wait(30)
    took = time.time() - t_sig
    for t in ts:
        t.join(10)
    assert ready_status == 503 and b"draining" in ready_body, (ready_status, ready_body)
    assert refused, "a new connection was accepted while draining"
    assert rc == 0, s.logtext()
    assert sorted(results) == list(range(8)) and all(c == 200 and n > 100000 for c, n in results.values()), str(results)
    assert took < 20
    observe(f"/readyz {ready_status} on the old connection; new connection refused; "
            f"8/8 renders 200; exit {rc} {took:.1f} s after SIGTERM")


@case(sends="SIGTERM to an idle server with --drain-s 10; SIGINT to another",
      expected="exit 0 at once (nothing to drain), log says drained")
def test_sigterm_idle_exits_at_once(start_server, observe):
    seen = []
    for sig in (signal.SIGTERM, signal.SIGINT):
        s = start_server("--drain-s", "10")
        t0 = time.time()
        s.proc.send_signal(sig)
        rc = s.proc.wait(15)
        dt = time.time() - t0
        assert rc == 0 and dt < 3, (sig, rc, dt)
        assert "drained" in s.logtext()
        seen.append(f"{signal.Signals(sig).name}: exit {rc} in {dt * 1000:.0f} ms")
    observe("; ".join(seen))


@case(sends="1 worker, --drain-s 1, 40 queued 2x PNG renders (far more than one second of work); SIGTERM",
      expected="exit 0 about 1 s after SIGTERM, not after the whole queue; requests answered or closed")
def test_sigterm_deadline_bounds_the_drain(start_server, observe):
    s = start_server("--threads", "1", "--deadline-ms", "60000", "--drain-s", "1")
    results = []

    def render(i):
        try:
            results.append(requests.get(f"{s.url}/v1/cards/w1.png?seed={8000 + i}&scale=2", timeout=30).status_code)
        except requests.RequestException:
            results.append("closed")

    ts = [threading.Thread(target=render, args=(i,)) for i in range(40)]
    for t in ts:
        t.start()
    assert wait_for(lambda: (s.metric("cartouche_queue_depth") or 0) >= 20, 20)
    t0 = time.time()
    s.proc.send_signal(signal.SIGTERM)
    rc = s.proc.wait(30)
    dt = time.time() - t0
    for t in ts:
        t.join(30)
    assert rc == 0, s.logtext()
    assert dt < 6, f"drain took {dt:.1f} s with --drain-s 1"
    assert set(results) <= {200, 503, "closed"}, results
    observe(f"exit {rc} {dt:.1f} s after SIGTERM; {results.count(200)} answered 200, "
            f"{results.count(503)} 503, {results.count('closed')} closed unanswered")


@pytest.fixture
def template_copy(tmp_path):
    d = tmp_path / "templates"
    shutil.copytree(os.path.join(ROOT, "templates"), d)
    return d


@case(sends="--templates a copy: change og.json's title max_length, SIGHUP; then break og.json (invalid "
            "JSON), SIGHUP; then add a template with a bad slot, SIGHUP",
      expected="new version visible after the first SIGHUP; after each broken one the previous set keeps "
               "serving (same version, cards 200) and the log names the file and the reason")
def test_sighup_reloads_templates_atomically(start_server, template_copy, observe):
    s = start_server("--templates", str(template_copy), "--assets", os.path.join(ROOT, "assets"))
    v0 = s.get("/v1/templates/og").json()
    og = template_copy / "og.json"
    doc = json.loads(og.read_text())
    title = next(sl for sl in doc["slots"] if sl["id"] == "title")
    title["max_length"] = 123
    og.write_text(json.dumps(doc))
    s.proc.send_signal(signal.SIGHUP)

    def title_max():
        j = s.get("/v1/templates/og").json()
        return next(sl for sl in j["slots"] if sl["id"] == "title").get("max_length"), j["version"]

    assert wait_for(lambda: title_max()[0] == 123, 10), "the change was not picked up"
    v1 = title_max()[1]
    assert v1 != v0["version"]
    etag1 = s.get("/v1/cards/og.png?text.title=reload").headers["ETag"]

    og.write_text('{"name": "og", "width": 1200, ')  # truncated JSON
    s.proc.send_signal(signal.SIGHUP)
    assert wait_for(lambda: "reload failed" in s.logtext(), 10), s.logtext()
    log = s.logtext()
    line = [l for l in log.splitlines() if "reload failed" in l][-1]
    assert "og.json" in line, line
    assert title_max() == (123, v1)
    r = s.get("/v1/cards/og.png?text.title=reload")
    assert r.status_code == 200 and r.headers["ETag"] == etag1

    og.write_text(json.dumps(doc))  # fixed again, but a second template is bad
    (template_copy / "zz-bad.json").write_text(json.dumps({
        "name": "zz-bad", "width": 100, "height": 100, "background": {"color": "#fff"},
        "slots": [{"id": "x", "box": [0, 0, 10, 10], "font": "no-such-font"}]}))
    n_failed = log.count("reload failed")
    s.proc.send_signal(signal.SIGHUP)
    assert wait_for(lambda: s.logtext().count("reload failed") > n_failed, 10)
    line2 = [l for l in s.logtext().splitlines() if "reload failed" in l][-1]
    assert "zz-bad" in line2, line2
    assert s.get("/v1/templates/zz-bad").status_code == 404
    assert s.get("/v1/cards/og.png?text.title=reload").status_code == 200
    assert s.get("/readyz").status_code == 200
    def reason(l):
        return l.split("configuration:")[-1].strip().replace(str(template_copy) + "/", "")

    observe(f"version {v0['version'][:8]}… → {v1[:8]}… after SIGHUP; broken JSON kept {v1[:8]}…, logged "
            f"“{reason(line)}”; bad slot kept it too, logged “{reason(line2)}”")


def variant(n):
    """Distinct valid Elite Dangerous files: the preset name differs, so does the id."""
    with open(os.path.join(DATA, "elite_warthog.binds"), "rb") as f:
        data = f.read()
    return data.replace(b'PresetName="', b'PresetName="kill9-%d-' % n, 1)


@case(sends="a stream of distinct uploads (POST /v1/refcards) from 2 clients; kill -9 in the middle; "
            "restart on the same --db-path",
      expected="every upload answered 201 before the kill is there after the restart, its summary "
               "identical and a card of it renders; the store opens cleanly")
def test_kill9_during_uploads_loses_nothing_acknowledged(start_server, tmp_path, observe):
    db = str(tmp_path / "kill9.db")
    s = start_server("--db-path", db)
    acked = {}  # id -> summary
    lock = threading.Lock()
    stop = threading.Event()
    counter = iter(range(1, 100000))

    def uploader():
        while not stop.is_set():
            with lock:
                n = next(counter)
            try:
                r = requests.post(s.url + "/v1/refcards", data=variant(n),
                                  params={"filename": f"v{n}.binds"}, timeout=10)
            except requests.RequestException:
                return  # the server is gone
            if r.status_code == 201:
                with lock:
                    acked[r.json()["id"]] = r.json()

    ts = [threading.Thread(target=uploader) for _ in range(2)]
    for t in ts:
        t.start()
    assert wait_for(lambda: len(acked) >= 25, 30), f"only {len(acked)} uploads acknowledged"
    s.proc.send_signal(signal.SIGKILL)
    s.proc.wait(10)
    stop.set()
    for t in ts:
        t.join(15)
    with lock:
        snapshot = dict(acked)
    b = start_server("--db-path", db)
    missing, changed = [], []
    for rid, summary in snapshot.items():
        r = b.get("/v1/refcards/" + rid)
        if r.status_code != 200:
            missing.append(rid)
        elif r.json() != summary:
            changed.append(rid)
    assert not missing and not changed, (missing, changed)
    last = snapshot[sorted(snapshot)[-1]]
    card = b.get(last["devices"][0]["cards"]["png"])
    assert card.status_code == 200 and card.content.startswith(b"\x89PNG")
    # The store accepts new uploads after the crash, and an old file gives its old id (200).
    again = requests.post(b.url + "/v1/refcards", data=variant(1), params={"filename": "v1.binds"}, timeout=10)
    assert again.status_code in (200, 201)
    observe(f"{len(snapshot)} uploads answered 201 before SIGKILL; all {len(snapshot)} present and identical "
            f"after restart; a card 200; re-upload {again.status_code}")
