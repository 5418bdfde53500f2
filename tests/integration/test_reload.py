"""SIGHUP reloads the whole catalog against the real binary: one test per kind of file (device
JSON, game table, tile layer archive; templates are in test_signals.py), each changed, then
broken (the running catalog keeps serving, the log names the file and the reload counter says
failed), and a request dispatched before a reload but served after it finishes on the catalog
it started with."""
import io
import json
import os
import shutil
import signal
import sqlite3

import pytest
import requests
from PIL import Image

from conftest import ROOT, flood_refusals, wait_for

pytest.register_assert_rewrite("reliability_report")
from reliability_report import case  # noqa: E402  (after the rewrite registration)

pytest_plugins = ["reliability_report"]
DATA = os.path.join(ROOT, "tests", "data", "bindings")
OK = 'cartouche_reloads_total{result="ok"}'
FAILED = 'cartouche_reloads_total{result="failed"}'


def reload(s, expect_ok=True):
    """SIGHUP and wait until the server counted the reload as done (ok or failed)."""
    ok0, failed0 = s.metric(OK), s.metric(FAILED)
    s.proc.send_signal(signal.SIGHUP)
    key, n0 = (OK, ok0) if expect_ok else (FAILED, failed0)
    assert wait_for(lambda: s.metric(key) == n0 + 1, 20), s.logtext()
    assert s.metric(OK if not expect_ok else FAILED) == (ok0 if not expect_ok else failed0)
    if not expect_ok:
        return [l for l in s.logtext().splitlines() if "reload failed" in l][-1]
    return None


@pytest.fixture
def templates(tmp_path):
    d = tmp_path / "templates"
    shutil.copytree(os.path.join(ROOT, "templates"), d)
    return d


def warthog_card(s):
    with open(os.path.join(DATA, "elite_warthog.binds"), "rb") as f:
        r = requests.post(s.url + "/v1/refcards", data=f.read(), params={"filename": "w.binds"}, timeout=30)
    assert r.status_code in (200, 201), r.text
    dev = next(d for d in r.json()["devices"] if d["device"] == "warthog-stick")
    return dev["cards"]["png"]


def devices_by_id(s):
    return {d["id"]: d for d in s.get("/v1/devices").json()["devices"]}


@case(sends="--templates a copy; a Warthog card drawn; devices/warthog-stick.json's name changed, SIGHUP; "
            "then the file broken (truncated JSON), SIGHUP",
      expected="after the first SIGHUP /v1/devices shows the new name and the card has a new ETag and new "
               "pixels; after the broken one the reload counts as failed, the log names the file, and the "
               "card and /v1/devices are those of the previous catalog")
def test_sighup_reloads_device_files(start_server, templates, observe):
    s = start_server("--templates", str(templates))
    url = warthog_card(s)
    c0 = s.get(url)
    assert c0.status_code == 200
    path = templates / "devices" / "warthog-stick.json"
    doc = json.loads(path.read_text())
    doc["name"] = "Reloaded Warthog Stick"
    path.write_text(json.dumps(doc))
    assert devices_by_id(s)["warthog-stick"]["name"] == "Thrustmaster HOTAS Warthog Joystick"
    reload(s)
    assert devices_by_id(s)["warthog-stick"]["name"] == "Reloaded Warthog Stick"
    c1 = s.get(url)
    assert c1.status_code == 200 and c1.headers["ETag"] != c0.headers["ETag"]
    assert c1.content != c0.content  # the title carries the device's name
    assert s.get(url, headers={"If-None-Match": c0.headers["ETag"]}).status_code == 200

    path.write_text(json.dumps(doc)[:200])
    line = reload(s, expect_ok=False)
    assert "warthog-stick.json" in line, line
    c2 = s.get(url)
    assert c2.status_code == 200 and c2.headers["ETag"] == c1.headers["ETag"]
    assert devices_by_id(s)["warthog-stick"]["name"] == "Reloaded Warthog Stick"
    assert s.get("/readyz").status_code == 200
    observe(f"ETag {c0.headers['ETag'][:12]}… → {c1.headers['ETag'][:12]}… after the change; broken file "
            f"kept it, logged “{line.split('configuration:')[-1].strip().replace(str(templates) + '/', '')}”")


@case(sends="--templates a copy; a Warthog card drawn; games/elite.json's game name changed, SIGHUP; then "
            "games/elite.json broken, SIGHUP",
      expected="/v1/games shows the new name and the card a new ETag after the first; the broken table "
               "leaves the previous catalog serving, a failed reload counted and the file named in the log")
def test_sighup_reloads_game_tables(start_server, templates, observe):
    s = start_server("--templates", str(templates))
    url = warthog_card(s)
    e0 = s.get(url).headers["ETag"]
    path = templates / "games" / "elite.json"
    doc = json.loads(path.read_text())
    doc["name"] = "Elite Dangerous (reloaded)"
    path.write_text(json.dumps(doc))
    reload(s)

    def elite_name():
        return next(g["name"] for g in s.get("/v1/games").json()["games"] if g["id"] == "elite")

    assert elite_name() == "Elite Dangerous (reloaded)"
    e1 = s.get(url).headers["ETag"]
    assert e1 != e0
    path.write_text('{"id": "elite", "name": ')
    line = reload(s, expect_ok=False)
    assert "elite.json" in line, line
    assert elite_name() == "Elite Dangerous (reloaded)"
    r = s.get(url)
    assert r.status_code == 200 and r.headers["ETag"] == e1
    observe(f"card ETag changed with the table; broken table logged “{line.split('configuration:')[-1].strip()[-90:]}”")


def solid_png(rgb):
    buf = io.BytesIO()
    Image.new("RGB", (256, 256), rgb).save(buf, "PNG")
    return buf.getvalue()


def write_mbtiles(path, rgb, name):
    """A one-tile raster MBTiles (zoom 0), written beside path and renamed over it: a server
    that has the old file open keeps reading the old inode."""
    tmp = str(path) + ".tmp"
    if os.path.exists(tmp):
        os.unlink(tmp)
    db = sqlite3.connect(tmp)
    db.executescript("CREATE TABLE metadata (name text, value text);"
                     "CREATE TABLE tiles (zoom_level integer, tile_column integer, tile_row integer, "
                     "tile_data blob);")
    meta = {"name": name, "description": name, "format": "png", "bounds": "-180,-85,180,85",
            "minzoom": "0", "maxzoom": "0"}
    db.executemany("INSERT INTO metadata VALUES (?, ?)", meta.items())
    db.execute("INSERT INTO tiles VALUES (0, 0, 0, ?)", (solid_png(rgb),))
    db.commit()
    db.close()
    os.replace(tmp, path)


def centre(r):
    return Image.open(io.BytesIO(r.content)).convert("RGB").getpixel((128, 128))


@case(sends="--layer mine=a one-tile MBTiles (red); the archive replaced on disk by a blue one with "
            "another title, SIGHUP; then replaced by a file that is not an archive, SIGHUP",
      expected="before: red tile; after the first SIGHUP the tile is blue with a new ETag and the TileJSON "
               "has the new title; after the broken one the failed reload is counted, the log names the "
               "file, and the blue layer keeps serving")
def test_sighup_reloads_tile_layers(start_server, tmp_path, observe):
    arch = tmp_path / "mine.mbtiles"
    write_mbtiles(arch, (200, 30, 30), "Red layer")
    s = start_server("--layer", f"mine={arch}")
    t0 = s.get("/v1/tiles/mine/0/0/0.png")
    assert t0.status_code == 200 and centre(t0) == (200, 30, 30)
    assert s.get("/v1/tiles/mine.json").json()["description"] == "Red layer"
    mtime = os.stat(arch).st_mtime
    write_mbtiles(arch, (30, 30, 200), "Blue layer with more words")
    os.utime(arch, (mtime + 60, mtime + 60))  # a layer's id stamps its archive's mtime (seconds) and size
    reload(s)
    t1 = s.get("/v1/tiles/mine/0/0/0.png")
    assert t1.status_code == 200 and centre(t1) == (30, 30, 200)
    assert t1.headers["ETag"] != t0.headers["ETag"]
    assert s.get("/v1/tiles/mine.json").json()["description"] == "Blue layer with more words"

    bad = tmp_path / "bad.tmp"
    bad.write_bytes(b"this is not sqlite " * 200)
    os.replace(bad, arch)
    line = reload(s, expect_ok=False)
    assert "mine.mbtiles" in line, line
    t2 = s.get("/v1/tiles/mine/0/0/0.png")
    assert t2.status_code == 200 and centre(t2) == (30, 30, 200) and t2.headers["ETag"] == t1.headers["ETag"]
    assert s.get("/v1/tiles/bluemarble/0/0/0.jpg").status_code == 200
    observe(f"red → blue tile after SIGHUP (ETag changed); a garbage archive kept the blue layer, logged "
            f"“{line.split('configuration:')[-1].strip().replace(str(tmp_path) + '/', '')}”")


@case(sends="--threads 1 --layer mine=red archive; 8 distinct 1280x1280@2x static maps queued on the one "
            "worker; the archive replaced by a blue one; SIGHUP (its reload queued behind the maps); then "
            "GET /v1/tiles/mine/0/0/0.jpg (a render, queued behind the reload)",
      expected="the tile, dispatched before the new catalog took over and drawn after, is red: drawn from "
               "the catalog it started with (still open although replaced); the next request gets blue")
def test_request_in_flight_keeps_its_catalog(start_server, tmp_path, observe):
    import threading
    arch = tmp_path / "mine.mbtiles"
    write_mbtiles(arch, (200, 30, 30), "Red layer")
    s = start_server("--threads", "1", "--deadline-ms", "60000", "--layer", f"mine={arch}")
    results = {}

    def get(name, path):
        results[name] = requests.get(s.url + path, timeout=60)

    blockers = [threading.Thread(target=get, args=(f"b{i}", f"/v1/static?center={i},45&zoom=6&size=1280x1280"
                                                             "&scale=2&labels=places,graticule&format=png"))
                for i in range(8)]
    for t in blockers:
        t.start()
    assert wait_for(lambda: s.metric("cartouche_queue_depth") >= 6, 20), s.logtext()
    mtime = os.stat(arch).st_mtime
    write_mbtiles(arch, (30, 30, 200), "Blue layer")
    os.utime(arch, (mtime + 60, mtime + 60))
    ok0 = s.metric(OK)
    s.proc.send_signal(signal.SIGHUP)
    assert wait_for(lambda: "SIGHUP: reloading on a worker" in s.logtext(), 20), s.logtext()
    assert s.metric(OK) == ok0  # the reload waits behind the maps
    tile = threading.Thread(target=get, args=("tile", "/v1/tiles/mine/0/0/0.jpg"))
    tile.start()
    for t in blockers + [tile]:
        t.join(60)
    assert s.metric(OK) == ok0 + 1
    s.log.flush()
    with open(s.log_path, encoding="utf-8", errors="replace") as f:
        log = f.read()
    assert log.index("and configuration reloaded") < log.index("/v1/tiles/mine/0/0/0.jpg"), log
    r = results["tile"]
    assert r.status_code == 200, r.text
    red = centre(r)
    assert all(abs(a - b) < 12 for a, b in zip(red, (200, 30, 30))), red
    assert all(results[f"b{i}"].status_code == 200 for i in range(8))
    now = s.get("/v1/tiles/mine/0/0/0.jpg")
    blue = centre(now)
    assert all(abs(a - b) < 12 for a, b in zip(blue, (30, 30, 200))), blue
    assert now.headers["ETag"] != r.headers["ETag"]
    observe(f"tile dispatched before the swap and drawn after it: {red} (red); next request {blue} (blue)")


@case(sends="a private assets folder (the baked world linked in); `cartouche bake --image` adds layer alps "
            "while the server runs, SIGHUP; then a broken zz.layer.json is added, SIGHUP",
      expected="alps is 404 before and served after the first SIGHUP (TileJSON, a tile, its STAC "
               "collection); the broken layer description fails the reload, named in the log, and alps "
               "keeps serving")
def test_sighup_picks_up_a_baked_layer(start_server, tmp_path, observe):
    import subprocess
    from conftest import BIN
    assets = tmp_path / "assets"
    tiles = assets / "baked" / "tiles"
    tiles.mkdir(parents=True)
    src = os.path.join(ROOT, "assets")
    for name in os.listdir(src):
        if name != "baked":
            os.symlink(os.path.join(src, name), assets / name)
    for name in os.listdir(os.path.join(src, "baked")):
        if name != "tiles":
            os.symlink(os.path.join(src, "baked", name), assets / "baked" / name)
    for name in os.listdir(os.path.join(src, "baked", "tiles")):
        if not name.endswith(".tmp"):
            os.symlink(os.path.join(src, "baked", "tiles", name), tiles / name)
    s = start_server("--assets", str(assets))
    assert s.get("/v1/tiles/alps.json").status_code == 404
    Image.new("RGB", (200, 200), (40, 150, 60)).save(tmp_path / "alps.png")
    subprocess.run([BIN, "bake", "--assets", str(assets), "--image", str(tmp_path / "alps.png"),
                    "--bounds", "5,40,15,50", "--layer", "alps", "--datetime", "2021-06-01T00:00:00Z"],
                   cwd=ROOT, check=True, capture_output=True)
    reload(s)
    tj = s.get("/v1/tiles/alps.json")
    assert tj.status_code == 200 and [round(v) for v in tj.json()["bounds"]] == [5, 40, 15, 50]
    t = s.get("/v1/tiles/alps/6/33/22.png")
    assert t.status_code == 200 and centre(t)[:3] == (40, 150, 60)
    assert s.get("/v1/stac/collections/alps").status_code == 200

    (tiles / "zz.layer.json").write_text('{"name": "zz", ')
    line = reload(s, expect_ok=False)
    assert "zz.layer.json" in line, line
    assert s.get("/v1/tiles/alps/6/33/22.png").status_code == 200
    assert s.get("/v1/tiles/zz.json").status_code == 404
    observe(f"alps 404 → 200 after bake + SIGHUP; broken zz.layer.json logged "
            f"“{line.split('configuration:')[-1].strip().replace(str(tmp_path) + '/', '')}”")


@case(sends="--config with refusal_rate 0; 150 many-key bodies (413); refusal_rate 10 written, SIGHUP; 60 more, "
            "30 at a time, and while they wait refusal_rate 5 written, SIGHUP",
      expected="first none paced; after the reload they are (cartouche_refusals_paced_total grows); the second "
               "reload drops none of those waiting: all 210 answered 413")
def test_sighup_changes_refusal_rate(start_server, tmp_path, observe):
    cfg = tmp_path / "c.json"
    cfg.write_text(json.dumps({"refusal_rate": 0}))
    s = start_server("--config", str(cfg))
    got = flood_refusals(s.url, 15, 10)
    assert s.metric("cartouche_refusals_paced_total") == 0
    cfg.write_text(json.dumps({"refusal_rate": 10}))
    reload(s)

    def slower(_):
        assert wait_for(lambda: s.metric("cartouche_refusals_paced_total") >= 10, 30), s.logtext()
        cfg.write_text(json.dumps({"refusal_rate": 5}))
        reload(s)

    got += flood_refusals(s.url, 30, 2, slower)
    paced = s.metric("cartouche_refusals_paced_total")
    statuses = {st for st, _ in got}
    assert len(got) == 210 and statuses == {413} and paced >= 10, (len(got), statuses, paced)
    observe(f"rate 0: none paced; rate 10: {paced:.0f} paced; a reload while they waited: all 210 answered 413")
