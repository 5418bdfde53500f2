"""Integration fixtures: start the real cartouche binary on a free loopback port.

`server` is one shared instance for the module; `start_server(*flags)` starts a private one
(stopped at the end of the test). CARTOUCHE_BIN picks the binary (the Makefile sets it, e.g. to
the sanitizer build)."""
import json
import os
import signal
import socket
import subprocess
import threading
import time

import pytest
import requests

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BIN = os.environ.get("CARTOUCHE_BIN", os.path.join(ROOT, "build", "cartouche"))


def wait_for(pred, timeout, step=0.05):
    """Poll pred until it is true or timeout seconds pass; its last answer."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        if pred():
            return True
        time.sleep(step)
    return pred()


def flood_refusals(url, threads, each, during=None):
    """POST a body of 600 text keys (over the key cap: 413) to /v1/cards/og.jpg `each` times on each
    of `threads` threads, a connection per request, while during(got) runs; got: (status,
    names QUERY_MAX_PARAMS) of every answer so far, in the order they came. Returns got."""
    body = json.dumps({"text": {f"k{i}": "x" for i in range(600)}}).encode()
    got, lock = [], threading.Lock()

    def flood():
        for _ in range(each):
            r = requests.post(url + "/v1/cards/og.jpg", data=body, headers={"Content-Type": "application/json"},
                              timeout=60)
            with lock:
                got.append((r.status_code, "QUERY_MAX_PARAMS" in r.text))

    ts = [threading.Thread(target=flood) for _ in range(threads)]
    for t in ts:
        t.start()
    if during:
        during(got)
    for t in ts:
        t.join(120)
    return got


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, *flags, tmp=None, wait_ready=True):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = os.path.join(tmp or "/tmp", f"cartouche-{self.port}.log")
        self.log = open(self.log_path, "wb")
        args = [BIN, "--listen", f"127.0.0.1:{self.port}"]
        if not any(str(f).startswith("--db") for f in flags) and tmp:
            args += ["--db-path", os.path.join(tmp, f"uploads-{self.port}.db")]
        args += [str(f) for f in flags]
        self.proc = subprocess.Popen(args, cwd=ROOT, stdout=self.log, stderr=subprocess.STDOUT)
        if wait_ready:
            self.wait_ready()

    def wait_ready(self, timeout=30):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"cartouche exited with {self.proc.returncode}: {self.logtext()}")
            try:
                if requests.get(self.url + "/readyz", timeout=1).status_code == 200:
                    return
            except requests.ConnectionError:
                pass
            time.sleep(0.05)
        raise RuntimeError("cartouche did not become ready: " + self.logtext())

    def logtext(self):
        self.log.flush()
        with open(self.log_path, "rb") as f:
            return f.read().decode("utf-8", "replace")[-4000:]

    def get(self, path, **kw):
        kw.setdefault("timeout", 30)
        return requests.get(self.url + path, **kw)

    def metric(self, name):
        for line in self.get("/metrics").text.splitlines():
            if line.startswith(name + " "):
                return float(line.split()[1])
        return None

    def stop(self, sig=signal.SIGTERM, timeout=20):
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()
        return self.proc.returncode


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    s = Server(tmp=str(tmp_path_factory.mktemp("srv")))
    yield s
    rc = s.stop()
    assert rc == 0, "server did not exit cleanly: " + s.logtext()


@pytest.fixture
def start_server(tmp_path):
    started = []

    def start(*flags, **kw):
        s = Server(*flags, tmp=str(tmp_path), **kw)
        started.append(s)
        return s

    yield start
    for s in started:
        s.stop()
