"""The scale-out tier: nginx (deploy/nginx.conf) caching in front of two instances, the shared
memcached L2, and the Kubernetes manifests in deploy/k8s.

nginx and memcached run for real on free loopback ports, from temporary folders: the nginx
configuration is deploy/nginx.conf itself with its "templated by the test" lines rewritten
(ports, paths), so the file that ships is the file tested. The manifests cannot run here (no
cluster): they are parsed with PyYAML and checked for consistency, and the container's flags
start the real binary."""
import concurrent.futures
import glob
import os
import re
import shutil
import signal
import subprocess
import threading
import time

import pytest
import requests
import yaml

from conftest import ROOT, Server, free_port

NGINX_CONF = os.path.join(ROOT, "deploy", "nginx.conf")
K8S_DIR = os.path.join(ROOT, "deploy", "k8s")
CARD = "/v1/cards/w1.jpg"
_seq = iter(range(10_000_000))


def unique(extra=""):
    """A card URL nobody has asked for in this run (nothing cached anywhere)."""
    return f"{CARD}?seed={os.getpid() % 1000 * 100000 + next(_seq)}{extra}"


def wait_port(port, proc, what, log, timeout=10):
    import socket

    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{what} exited with {proc.returncode}: {log()}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.02)
    raise RuntimeError(f"{what} did not listen on {port}: {log()}")


def nginx_conf_for(tmp, listen_port, upstream_ports):
    """deploy/nginx.conf with the templated lines pointed at tmp and loopback ports. Every
    substitution must apply as many times as expected, so a change to the shipped file that the
    test no longer understands fails here instead of testing something else."""
    conf = open(NGINX_CONF).read()

    def sub(pattern, repl, count_expected, flags=re.M):
        nonlocal conf
        conf, n = re.subn(pattern, repl, conf, flags=flags)
        assert n == count_expected, f"deploy/nginx.conf: {pattern!r} matched {n} times"

    # As root, nginx's workers would switch to www-data and could not write the temporary cache.
    sub(r"^user .*$", "user root;" if os.geteuid() == 0 else "", 1)
    sub(r"^worker_processes .*$", "worker_processes 1;", 1)
    sub(r"^pid .*$", f"pid {tmp}/nginx.pid;", 1)
    sub(r"^error_log .*$", f"error_log {tmp}/error.log info;", 1)
    sub(r"^(\s*)access_log .*$", rf"\1access_log {tmp}/access.log;", 1)
    ports = iter(upstream_ports)
    sub(r"server 127\.0\.0\.1:\d+", lambda m: f"server 127.0.0.1:{next(ports)}", len(upstream_ports))
    sub(r"proxy_cache_path /var/cache/nginx/cartouche ", f"proxy_cache_path {tmp}/cache ", 1)
    sub(r"^(\s*)listen 8080;", rf"\1listen 127.0.0.1:{listen_port};", 1)
    temp = "".join(f"    {k}_temp_path {tmp}/{k}_temp;\n"
                   for k in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    sub(r"^http \{\n", "http {\n" + temp, 1)
    return conf


class Nginx:
    def __init__(self, tmp, upstream_ports):
        self.tmp = os.path.join(tmp, f"nginx-{free_port()}")
        os.makedirs(self.tmp)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.conf = os.path.join(self.tmp, "nginx.conf")
        with open(self.conf, "w") as f:
            f.write(nginx_conf_for(self.tmp, self.port, upstream_ports))
        self.errlog = os.path.join(self.tmp, "error.log")
        base = [shutil.which("nginx") or "/usr/sbin/nginx", "-p", self.tmp, "-c", self.conf,
                "-e", self.errlog]
        check = subprocess.run(base + ["-t"], capture_output=True, text=True, timeout=10)
        assert check.returncode == 0, "nginx -t: " + check.stderr
        self.proc = subprocess.Popen(base + ["-g", "daemon off;"], stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)
        wait_port(self.port, self.proc, "nginx", self.log)

    def log(self):
        try:
            return open(self.errlog, errors="replace").read()[-3000:]
        except OSError:
            return ""

    def get(self, path, **kw):
        kw.setdefault("timeout", 30)
        return requests.get(self.url + path, **kw)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


class Memcached:
    def __init__(self, port=None):
        self.port = port or free_port()
        args = [shutil.which("memcached") or "/usr/bin/memcached", "-l", "127.0.0.1",
                "-p", str(self.port), "-U", "0", "-m", "64"]
        if os.geteuid() == 0:  # memcached refuses to run as root without -u
            args += ["-u", "root"]
        self.proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        wait_port(self.port, self.proc, "memcached", lambda: self.proc.stderr.read().decode())

    def _cmd(self, line, data=None):
        import socket

        with socket.create_connection(("127.0.0.1", self.port), timeout=5) as c:
            c.sendall(line + (data + b"\r\n" if data is not None else b""))
            buf = b""
            while not (buf.endswith(b"END\r\n") or buf.endswith(b"STORED\r\n") or buf.startswith(b"SERVER_ERROR")):
                chunk = c.recv(1 << 20)
                if not chunk:
                    break
                buf += chunk
            return buf

    def raw_get(self, key):
        """(flags, value) stored under key, or None: the bytes as memcached holds them."""
        buf = self._cmd(b"get " + key.encode() + b"\r\n")
        if not buf.startswith(b"VALUE "):
            return None
        head, rest = buf.split(b"\r\n", 1)
        _, _, flags, n = head.split()
        return int(flags), rest[:int(n)]

    def raw_set(self, key, flags, value):
        reply = self._cmd(f"set {key} {flags} 0 {len(value)}\r\n".encode(), value)
        assert reply == b"STORED\r\n", reply

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(10)
        self.proc.stderr.close()


class Tier:
    """nginx in front of two instances started with flags."""

    def __init__(self, tmp, *flags):
        self.a = Server(*flags, tmp=tmp)
        self.b = Server(*flags, tmp=tmp)
        try:
            self.nginx = Nginx(tmp, [self.a.port, self.b.port])
        except Exception:
            self.a.stop()
            self.b.stop()
            raise

    def stop(self):
        self.nginx.stop()
        return self.a.stop(), self.b.stop()


@pytest.fixture(scope="module")
def tier(tmp_path_factory):
    t = Tier(str(tmp_path_factory.mktemp("tier")))
    yield t
    assert t.stop() == (0, 0)


@pytest.fixture
def make_tier(tmp_path):
    made = []

    def make(*flags):
        t = Tier(str(tmp_path), *flags)
        made.append(t)
        return t

    yield make
    for t in made:
        t.stop()


@pytest.fixture
def memcached():
    started = []

    def start(port=None):
        m = Memcached(port)
        started.append(m)
        return m

    yield start
    for m in started:
        m.stop()


def renders(server):
    return server.metric("cartouche_renders_total")


# ---------------------------------------------------------------- nginx tier

def test_repeat_request_is_a_cache_hit(tier):
    url = unique()
    first = tier.nginx.get(url)
    assert first.status_code == 200, first.text
    assert first.headers["X-Cache-Status"] == "MISS"
    assert first.headers["Content-Type"] == "image/jpeg"
    before = renders(tier.a) + renders(tier.b)
    again = tier.nginx.get(url)
    assert again.status_code == 200
    assert again.headers["X-Cache-Status"] == "HIT"
    assert again.content == first.content
    assert again.headers["ETag"] == first.headers["ETag"]
    assert again.headers["Cache-Control"] == first.headers["Cache-Control"]
    head = requests.head(tier.nginx.url + url, timeout=10)
    assert head.status_code == 200 and head.headers["X-Cache-Status"] == "HIT"
    assert head.headers["Content-Length"] == str(len(first.content))
    assert renders(tier.a) + renders(tier.b) == before, "a cache hit reached an instance"


def test_urls_spread_over_both_instances_by_hash(tier):
    # Consistent hashing on the URI: a URL always goes to the same instance, and URLs spread.
    before = (renders(tier.a), renders(tier.b))
    for _ in range(16):
        assert tier.nginx.get(unique()).status_code == 200
    after = (renders(tier.a), renders(tier.b))
    assert after[0] > before[0] and after[1] > before[1], (before, after)
    assert sum(after) - sum(before) == 16


def test_if_none_match_gets_304_through_the_proxy(tier):
    url = unique()
    # The ETag straight from an instance, so that nginx has not seen this URL yet.
    etag = tier.a.get(url).headers["ETag"]
    miss = tier.nginx.get(url, headers={"If-None-Match": etag})
    assert miss.status_code == 304 and miss.content == b""
    assert miss.headers["X-Cache-Status"] == "MISS"
    assert miss.headers["ETag"] == etag
    hit = tier.nginx.get(url, headers={"If-None-Match": f'"{"0" * 32}", {etag}'})
    assert hit.status_code == 304 and hit.content == b""
    assert hit.headers["X-Cache-Status"] == "HIT"
    other = tier.nginx.get(url, headers={"If-None-Match": f'"{"0" * 32}"'})
    assert other.status_code == 200 and other.headers["X-Cache-Status"] == "HIT"
    assert other.headers["ETag"] == etag and len(other.content) > 10000


def test_errors_and_service_routes_are_not_cached(tier):
    for path in (f"{CARD}?seed=1&nope=2", "/readyz", "/metrics", "/v1/cards/nosuch.jpg"):
        statuses = []
        for _ in range(2):
            r = tier.nginx.get(path)
            statuses.append((r.status_code, r.headers.get("X-Cache-Status")))
            assert r.headers.get("X-Cache-Status") != "HIT", (path, statuses)
        assert statuses[0][0] == statuses[1][0], (path, statuses)


def test_503_is_not_cached(make_tier):
    t = make_tier("--threads", "1", "--queue-depth", "1")
    urls = [unique("&scale=2") for _ in range(40)]
    results = {}
    for _round in range(3):  # each round is a burst far above what two 1-deep queues hold
        barrier = threading.Barrier(len(urls))

        def one(u):
            barrier.wait()
            r = t.nginx.get(u)
            return u, r.status_code, dict(r.headers)

        with concurrent.futures.ThreadPoolExecutor(len(urls)) as ex:
            for u, status, headers in ex.map(one, urls):
                results.setdefault(u, (status, headers))
        if any(s == 503 for s, _ in results.values()):
            break
        urls = [unique("&scale=2") for _ in range(40)]
    statuses = {s for s, _ in results.values()}
    assert statuses <= {200, 503}, statuses
    busy = [u for u, (s, _) in results.items() if s == 503]
    assert busy, "no 503 under a burst of 40 against --queue-depth 1 --threads 1 twice"
    headers = results[busy[0]][1]
    assert headers["Cache-Control"] == "no-store" and headers["Retry-After"] == "1"
    for u in busy[:5]:
        r = t.nginx.get(u)  # the load is over: rendered now, not the stored 503
        assert r.status_code == 200 and r.headers["X-Cache-Status"] == "MISS", r.headers
        assert t.nginx.get(u).headers["X-Cache-Status"] == "HIT"


def test_stopping_one_instance_does_not_fail_requests(make_tier):
    t = make_tier()
    # Warm both instances and the upstream keep-alive connections. The consistent hash need not
    # split 8 URLs evenly (all 8 went to B once), so go on until A has rendered too (bounded).
    for i in range(64):
        assert t.nginx.get(unique()).status_code == 200
        if i >= 7 and renders(t.a) > 0 and renders(t.b) > 0:
            break
    a_before = renders(t.a)
    assert a_before > 0
    results, stop = [], threading.Event()

    def load():
        with requests.Session() as s:
            while not stop.is_set():
                r = s.get(t.nginx.url + unique(), timeout=30)
                results.append((r.status_code, len(r.content)))

    workers = [threading.Thread(target=load) for _ in range(3)]
    for w in workers:
        w.start()
    time.sleep(0.3)
    during = len(results)
    assert t.a.stop() == 0, "instance A did not drain cleanly: " + t.a.logtext()
    b_at_stop = renders(t.b)
    time.sleep(0.7)
    stop.set()
    for w in workers:
        w.join(30)
    assert during > 0 and len(results) > during
    bad = [r for r in results if r[0] != 200 or r[1] < 10000]
    assert not bad, f"{len(bad)} of {len(results)} requests failed: {bad[:5]}"
    # Everything after the stop, including A's share of the URLs, was rendered by B.
    after = [t.nginx.get(unique()) for _ in range(12)]
    assert all(r.status_code == 200 for r in after)
    assert renders(t.b) >= b_at_stop + 12


# ---------------------------------------------------------------- memcached L2

def test_l2_instance_b_serves_what_instance_a_rendered(start_server, memcached):
    mc = memcached()
    a = start_server("--memcached", f"127.0.0.1:{mc.port}", *L2_SLACK)
    b = start_server("--memcached", f"127.0.0.1:{mc.port}", *L2_SLACK)
    for url in (unique(), f"/v1/cards/og.png?text.title=L2%20shared%20{next(_seq)}"):
        ra = a.get(url)
        assert ra.status_code == 200, ra.text
        hits, made = b.metric("cartouche_l2_hits_total"), renders(b)
        rb = b.get(url)
        assert rb.status_code == 200
        assert rb.content == ra.content, "instance B's bytes differ from A's"
        assert rb.headers["ETag"] == ra.headers["ETag"]
        assert rb.headers["Content-Type"] == ra.headers["Content-Type"]
        assert b.metric("cartouche_l2_hits_total") == hits + 1
        assert renders(b) == made, "B rendered instead of using the L2"
    assert a.metric("cartouche_l2_hits_total") == 0
    assert b.metric("cartouche_l2_errors_total") == 0
    # B's access log names the L2 as where the answer came from.
    assert re.search(rf"access GET {re.escape(url)} 200 \d+ [\d.]+ms l2$", b.logtext(), re.M), b.logtext()


# The default 50 ms L2 timeout keeps workers from waiting on a slow memcached; on a loaded test
# machine (or a sanitizer build) a round trip can take longer and count as a miss, so the tests
# that count L2 hits give it a second.
L2_SLACK = ("--memcached-timeout-ms", "1000")


def mc_key(etag):
    """The memcached key an instance uses for a response's ETag (l2.c)."""
    return "cartouche:" + etag.strip('"')


def test_l2_value_stored_for_another_url_is_a_miss(start_server, memcached):
    """memcached holds, under B's key, the value A's render stored (copied there as it is: what a
    collision of the key hash, or anyone who can write to memcached, gives). An instance asked
    for B must not serve it: the value carries the full request key it was stored for."""
    mc = memcached()
    ref = start_server()  # no L2: B's true bytes and ETag
    url_a, url_b = unique(), unique()
    truth_b = ref.get(url_b)
    assert truth_b.status_code == 200
    a = start_server("--memcached", f"127.0.0.1:{mc.port}", *L2_SLACK)
    ra = a.get(url_a)
    assert ra.status_code == 200 and ra.content != truth_b.content
    stored = mc.raw_get(mc_key(ra.headers["ETag"]))
    assert stored is not None, "A's render was not stored in the L2"
    mc.raw_set(mc_key(truth_b.headers["ETag"]), *stored)
    b = start_server("--memcached", f"127.0.0.1:{mc.port}", *L2_SLACK)
    made = renders(b)
    rb = b.get(url_b)
    assert rb.status_code == 200
    assert rb.content == truth_b.content, "B was answered with the bytes stored for A"
    assert rb.headers["ETag"] == truth_b.headers["ETag"]
    assert b.metric("cartouche_l2_hits_total") == 0
    assert renders(b) == made + 1
    # B's own render replaced the planted value: a third instance gets B's bytes from the L2.
    # (A fresh instance's first memcached round trip can pass the 50 ms L2 timeout on a loaded or
    # sanitizer build and count as a miss: up to three instances are asked.)
    hits = 0
    for _ in range(3):
        c = start_server("--memcached", f"127.0.0.1:{mc.port}", *L2_SLACK)
        rc = c.get(url_b)
        assert rc.content == truth_b.content
        hits = c.metric("cartouche_l2_hits_total")
        if hits == 1:
            break
    assert hits == 1


ETAG_RE = re.compile(r'^"[0-9a-f]{32}"$')


def test_etags_are_strong_128_bit_and_stable_across_restarts(tmp_path):
    """At least 128 bits of SHA-256 in a strong tag, and the same URL gets the same ETag (and the
    same bytes) from a restarted instance and from a second one running beside it."""
    urls = [f"{CARD}?seed=7", "/v1/cards/og.png?text.title=Same%20tag", f"{CARD}?seed=7&scale=2"]
    first = Server(tmp=str(tmp_path))
    try:
        tags = [first.get(u).headers["ETag"] for u in urls]
        bodies = [first.get(u).content for u in urls]
    finally:
        assert first.stop() == 0
    assert all(ETAG_RE.match(t) for t in tags), tags
    assert len(set(tags)) == len(urls)
    again, beside = Server(tmp=str(tmp_path)), Server(tmp=str(tmp_path))
    try:
        for s in (again, beside):
            rs = [s.get(u) for u in urls]
            assert [r.headers["ETag"] for r in rs] == tags
            assert [r.content for r in rs] == bodies
    finally:
        assert again.stop() == 0 and beside.stop() == 0


def test_urls_sharing_an_etag_get_their_own_bytes(start_server, memcached, monkeypatch):
    """With CARTOUCHE_TEST_ETAG_BITS=0 every image has the same ETag (and memcached key): what
    a hash collision gives, for every pair of URLs at once. Each URL still gets its own bytes:
    after another URL's render (render cache), while another URL's render is in flight
    (single-flight), and from the shared L2."""
    ref = start_server()  # full tags: the true bytes of each URL
    seeds = [os.getpid() % 1000 * 100000 + 90000 + i for i in range(20)]
    truth = {sd: ref.get(f"{CARD}?seed={sd}").content for sd in seeds}
    assert len(set(truth.values())) == len(seeds)
    mc = memcached()
    monkeypatch.setenv("CARTOUCHE_TEST_ETAG_BITS", "0")
    one = start_server("--threads", "1", "--deadline-ms", "30000", "--memcached", f"127.0.0.1:{mc.port}", *L2_SLACK)
    zero = '"' + "0" * 32 + '"'

    # Render cache: one after another, then each again (hits).
    for sd in seeds[:3] + seeds[:3]:
        r = one.get(f"{CARD}?seed={sd}")
        assert r.status_code == 200 and r.headers["ETag"] == zero
        assert r.content == truth[sd], f"seed {sd} got another URL's bytes"
    assert one.metric("cartouche_cache_hits_total") >= 3
    assert "CARTOUCHE_TEST_ETAG_BITS=0" in one.logtext()  # logged at the first tag made

    # Single-flight: 12 URLs at once on one worker, so they are in flight together.
    with concurrent.futures.ThreadPoolExecutor(12) as ex:
        out = list(ex.map(lambda sd: (sd, one.get(f"{CARD}?seed={sd}")), seeds[3:15]))
    for sd, r in out:
        assert r.status_code == 200 and r.content == truth[sd], f"seed {sd} got another URL's bytes"
    assert one.metric("cartouche_coalesced_total") == 0

    # The L2: a second instance, same memcached key for every URL; only the URL whose value is
    # there is a hit.
    two = start_server("--memcached", f"127.0.0.1:{mc.port}", *L2_SLACK)
    last = seeds[15]
    assert one.get(f"{CARD}?seed={last}").content == truth[last]  # the value memcached now holds
    other = two.get(f"{CARD}?seed={seeds[16]}")
    assert other.content == truth[seeds[16]], "the L2 served another URL's bytes"
    assert two.metric("cartouche_l2_hits_total") == 0
    assert one.get(f"{CARD}?seed={seeds[17]}").content == truth[seeds[17]]
    (three := start_server("--memcached", f"127.0.0.1:{mc.port}", *L2_SLACK))
    same = three.get(f"{CARD}?seed={seeds[17]}")
    assert same.content == truth[seeds[17]] and three.metric("cartouche_l2_hits_total") == 1


def test_l2_memcached_down_keeps_serving_and_logs_once(start_server, memcached):
    port = free_port()  # nothing listens there yet
    s = start_server("--memcached", f"127.0.0.1:{port}")
    for _ in range(10):
        r = s.get(unique())
        assert r.status_code == 200 and r.content[:2] == b"\xff\xd8"
    assert s.metric("cartouche_l2_errors_total") >= 1
    assert s.logtext().count("unreachable") == 1, s.logtext()
    # memcached comes up: after the back-off the L2 is used again, and that is logged once.
    mc = memcached(port)
    time.sleep(1.2)
    url = unique()
    for _ in range(2):  # two workers: each finishes its back-off on its next job
        s.get(unique())
    assert s.get(url).status_code == 200
    deadline = time.time() + 5
    while "reachable again" not in s.logtext() and time.time() < deadline:
        time.sleep(0.05)
    assert s.logtext().count("reachable again") == 1, s.logtext()
    # ... and down again: one more line, still no failed request.
    mc.stop()
    for _ in range(10):
        assert s.get(unique()).status_code == 200
    assert s.logtext().count("unreachable") == 2, s.logtext()


def test_l2_off_by_default_and_bad_address_refused(server, tmp_path):
    assert server.metric("cartouche_l2_hits_total") == 0
    assert server.metric("cartouche_l2_errors_total") == 0
    assert "L2" not in server.logtext()
    for bad in ("localhost", "localhost:0", "localhost:99999", ":11211", "host:12x"):
        port = free_port()
        p = subprocess.run([os.environ.get("CARTOUCHE_BIN", os.path.join(ROOT, "build", "cartouche")),
                            "--listen", f"127.0.0.1:{port}", "--db-path", str(tmp_path / "x.db"),
                            "--memcached", bad], cwd=ROOT, capture_output=True, text=True, timeout=30)
        assert p.returncode == 2, (bad, p.returncode, p.stderr[-500:])
        assert "memcached must be HOST:PORT" in p.stderr


# ---------------------------------------------------------------- Kubernetes manifests

def manifests():
    docs = {}
    for path in sorted(glob.glob(os.path.join(K8S_DIR, "*.yaml"))):
        with open(path) as f:
            for d in yaml.safe_load_all(f):
                assert isinstance(d, dict) and d.get("kind"), path
                docs.setdefault(d["kind"], []).append(d)
    return docs


def mib(q):
    m = re.fullmatch(r"(\d+)(Mi|Gi)", q)
    assert m, f"memory quantity {q!r} is not in Mi/Gi"
    return int(m.group(1)) * (1024 if m.group(2) == "Gi" else 1)


def flag(args, name):
    return args[args.index(name) + 1]


def cartouche_container():
    dep = next(d for d in manifests()["Deployment"] if d["metadata"]["name"] == "cartouche")
    return dep, dep["spec"]["template"]["spec"]["containers"][0]


def test_k8s_manifests_parse_and_agree():
    docs = manifests()
    assert {"Deployment", "Service", "HorizontalPodAutoscaler"} <= docs.keys()
    kust = docs["Kustomization"][0]["resources"]
    assert sorted(kust) == sorted(os.path.basename(p) for p in glob.glob(os.path.join(K8S_DIR, "*.yaml"))
                                  if not p.endswith("kustomization.yaml"))
    dep, c = cartouche_container()
    labels = dep["spec"]["template"]["metadata"]["labels"]
    assert dep["spec"]["selector"]["matchLabels"].items() <= labels.items()
    svc = next(s for s in docs["Service"] if s["metadata"]["name"] == "cartouche")
    assert svc["spec"]["selector"].items() <= labels.items()
    port_names = {p["name"]: p["containerPort"] for p in c["ports"]}
    assert svc["spec"]["ports"][0]["targetPort"] in port_names
    assert flag(c["args"], "--listen") == f"0.0.0.0:{port_names['http']}"
    assert c["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert c["livenessProbe"]["httpGet"]["path"] == "/healthz"
    for probe in ("readinessProbe", "livenessProbe"):
        assert c[probe]["httpGet"]["port"] in port_names
    # Memory: the limit and the request derive from the budget (deploy/README.md).
    budget = int(flag(c["args"], "--memory-budget"))
    assert mib(c["resources"]["limits"]["memory"]) == budget + 96
    assert mib(c["resources"]["requests"]["memory"]) == budget + 64
    # Threads = requested cores (sysconf sees the node's cores in a container).
    assert int(flag(c["args"], "--threads")) == int(c["resources"]["requests"]["cpu"])
    # SIGKILL comes after the preStop sleep and the drain deadline.
    pre = int(c["lifecycle"]["preStop"]["exec"]["command"][-1])
    assert dep["spec"]["template"]["spec"]["terminationGracePeriodSeconds"] > pre + int(flag(c["args"], "--drain-s"))
    hpa = docs["HorizontalPodAutoscaler"][0]
    ref = hpa["spec"]["scaleTargetRef"]
    assert (ref["kind"], ref["name"]) == ("Deployment", "cartouche")
    assert 1 <= hpa["spec"]["minReplicas"] <= hpa["spec"]["maxReplicas"]
    # The L2 address names the memcached Service and its port.
    host, port = flag(c["args"], "--memcached").rsplit(":", 1)
    mcs = next(s for s in docs["Service"] if s["metadata"]["name"] == host)
    assert mcs["spec"]["ports"][0]["port"] == int(port)
    # The upload store is safe as shipped: SQLite (WAL) has one writer. The scaled Deployment keeps
    # no uploads (no claim); one StatefulSet replica owns a ReadWriteOnce volume; the ingress
    # sends every /v1/refcards request to it, the rest to the scaled Service.
    vols = dep["spec"]["template"]["spec"]["volumes"]
    assert not any("persistentVolumeClaim" in v for v in vols)
    assert "PersistentVolumeClaim" not in docs, "no shared (ReadWriteMany) claim"
    sts = next(d for d in docs["StatefulSet"] if d["metadata"]["name"] == "cartouche-refcards")
    assert sts["spec"]["replicas"] == 1
    (vct,) = sts["spec"]["volumeClaimTemplates"]
    assert vct["spec"]["accessModes"] == ["ReadWriteOnce"]
    sc = sts["spec"]["template"]["spec"]["containers"][0]
    mount = next(m for m in sc["volumeMounts"] if m["name"] == vct["metadata"]["name"])
    assert flag(sc["args"], "--db-path").startswith(mount["mountPath"] + "/")
    sts_labels = sts["spec"]["template"]["metadata"]["labels"]
    up_svc = next(x for x in docs["Service"] if x["metadata"]["name"] == "cartouche-refcards")
    assert up_svc["spec"]["selector"].items() <= sts_labels.items()
    assert not svc["spec"]["selector"].items() <= sts_labels.items(), "the scaled Service must not reach the uploads pod"
    assert not up_svc["spec"]["selector"].items() <= labels.items(), "nor the uploads Service the scaled pods"
    paths = {p["path"]: p["backend"]["service"]["name"]
             for r in docs["Ingress"][0]["spec"]["rules"] for p in r["http"]["paths"]}
    assert paths == {"/v1/refcards": "cartouche-refcards", "/": "cartouche"}
    pdb = docs["PodDisruptionBudget"][0]
    assert pdb["spec"]["selector"]["matchLabels"].items() <= labels.items()


def test_k8s_container_flags_start_the_server(tmp_path):
    """The Deployment's args are real flags: started here with the store path moved to tmp, the
    listen address to a free loopback port and the L2 to a port where nothing listens, the
    server becomes ready, renders, and runs with the budget and threads the manifest gives."""
    _, c = cartouche_container()
    args = list(c["args"])
    del args[args.index("--listen"):args.index("--listen") + 2]  # Server adds a loopback one
    args[args.index("--db-path") + 1] = str(tmp_path / "uploads.db")
    args[args.index("--memcached") + 1] = f"127.0.0.1:{free_port()}"
    s = Server(*args, tmp=str(tmp_path))
    try:
        assert s.get(unique()).status_code == 200
        assert s.metric("cartouche_pool_budget_bytes") == int(flag(args, "--memory-budget")) << 20
        assert s.metric("cartouche_workers") == int(flag(args, "--threads"))
    finally:
        assert s.stop() == 0
