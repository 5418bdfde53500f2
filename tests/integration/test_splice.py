"""Spliced JPEG cards (src/core/splice.c) as clients get them: every template at 1x and 2x, 4:2:0 and
4:4:4, is a baseline JPEG with a restart marker every MCU row that Pillow decodes to the card the
PNG route draws (within JPEG error, block by block, so a missing or misplaced label fails), and
two W1 cards that differ only in label 0 decode to the same pixels everywhere but around that
label (the other rows are the same cached segments); headless Chromium decodes them too.
Controller reference cards likewise: every card of a real upload (stick, throttle, pedals, gamepad,
keyboard; a generic card; page 2 of a long card) at 1x and 2x is a baseline JPEG with a restart
marker every 128 pixels of a row (8 MCUs at 1x, 16 at 2x: spliced over the device's empty card in
segments narrower than a row) that decodes to its PNG.
Labelled map tiles, at 1x and @2x: the stored tile's header and restart intervals (cells of two MCUs,
the form the bake stores JPEG tiles in) but in the cells the labels touch, decoding to the labelled
PNG; over an archive made elsewhere (GDAL's JPEG tiles, no restart interval) the tile is encoded
whole and decodes alike."""
import io
import math
import os
import sqlite3
import subprocess
from urllib.parse import quote

import pytest
import requests
from PIL import Image, ImageChops, ImageStat


def jpeg_segments(data):
    """(marker, payload) of the header segments up to and including SOS."""
    assert data[:2] == b"\xff\xd8"
    i, out = 2, []
    while i + 4 <= len(data):
        assert data[i] == 0xFF
        marker, length = data[i + 1], int.from_bytes(data[i + 2:i + 4], "big")
        out.append((marker, data[i + 4:i + 2 + length]))
        i += 2 + length
        if marker == 0xDA:
            break
    return out


def texts_for(desc, n):
    params = []
    for slot in desc["slots"]:
        text = f"{slot['id']} Öl {n}"[: slot["max_length"]]
        params.append(f"text.{slot['id']}={quote(text)}")
    return "&".join(params)


def block_worst(a, b, size=16):
    """The largest mean absolute difference of any size x size block (0..255)."""
    diff = ImageChops.difference(a, b).convert("L")
    worst = 0.0
    for y in range(0, a.height, size):
        for x in range(0, a.width, size):
            worst = max(worst, ImageStat.Stat(diff.crop((x, y, min(x + size, a.width),
                                                          min(y + size, a.height)))).mean[0])
    return worst


def templates(server):
    names = [t["name"] for t in server.get("/v1/templates").json()["templates"]]
    assert {"w1", "og", "refcard"} <= set(names)
    return [server.get(f"/v1/templates/{n}").json() for n in names]


@pytest.mark.parametrize("scale", [1, 2])
@pytest.mark.parametrize("sub", ["420", "444"])
def test_every_template_is_a_baseline_jpeg_of_the_card(start_server, scale, sub):
    # A budget with room for 2x surfaces on every worker, so that no card falls back to a whole
    # encode for want of memory (that fallback is a plain TurboJPEG file without restarts).
    server = start_server("--memory-budget-mb", "512")
    for desc in templates(server):
        w, h = desc["width"] * scale, desc["height"] * scale
        query = f"{texts_for(desc, 7)}&scale={scale}"
        r = server.get(f"/v1/cards/{desc['name']}.jpg?{query}&subsampling={sub}")
        assert r.status_code == 200, r.text
        assert r.headers["Content-Type"] == "image/jpeg"
        head = requests.head(server.url + f"/v1/cards/{desc['name']}.jpg?{query}&subsampling={sub}", timeout=30)
        assert int(head.headers["Content-Length"]) == len(r.content)

        segments = dict(jpeg_segments(r.content))
        assert 0xC0 in segments and 0xC2 not in segments, "baseline (SOF0), not progressive"
        mcu = 8 if sub == "444" else 16
        assert int.from_bytes(segments[0xDD][:2], "big") == math.ceil(w / mcu), \
            "one restart interval per MCU row"

        jpg = Image.open(io.BytesIO(r.content))
        assert jpg.format == "JPEG" and jpg.size == (w, h)
        assert not jpg.info.get("progressive")
        jpg = jpg.convert("RGB")
        png = server.get(f"/v1/cards/{desc['name']}.png?{query}")
        assert png.status_code == 200
        png = Image.open(io.BytesIO(png.content)).convert("RGB")
        assert png.size == (w, h)
        worst = block_worst(jpg, png)
        assert worst < 30, f"{desc['name']} {scale}x {sub}: a 16x16 block differs by {worst:.1f} on average"


def test_w1_cards_differ_only_around_their_label(server):
    a = Image.open(io.BytesIO(server.get("/v1/cards/w1.jpg?seed=11").content)).convert("RGB")
    b = Image.open(io.BytesIO(server.get("/v1/cards/w1.jpg?seed=987654321").content)).convert("RGB")
    bbox = ImageChops.difference(a, b).getbbox()
    assert bbox is not None, "the seeds must show"
    # label 0's box is (24, 160, 220x32); chroma upsampling may reach a pixel or two beyond it
    x0, y0, x1, y1 = bbox
    assert x0 >= 24 - 16 and x1 <= 244 + 16 and y0 >= 160 - 4 and y1 <= 192 + 4, bbox


def test_w1_all_labels_vary(server):
    desc = server.get("/v1/templates/w1").json()
    query = "&".join(f"text.{s['id']}={quote(s['default'] + ' #123456')}" for s in desc["slots"])
    r = server.get(f"/v1/cards/w1.jpg?{query}")
    assert r.status_code == 200, r.text
    jpg = Image.open(io.BytesIO(r.content)).convert("RGB")
    png = Image.open(io.BytesIO(server.get(f"/v1/cards/w1.png?{query}").content)).convert("RGB")
    assert block_worst(jpg, png) < 30


BINDINGS = os.path.join(os.path.dirname(__file__), "..", "data", "bindings")


def upload(server, fixture):
    with open(os.path.join(BINDINGS, fixture), "rb") as f:
        r = requests.post(server.url + "/v1/refcards", params={"filename": fixture}, data=f.read(), timeout=30)
    assert r.status_code in (200, 201), r.text
    return r.json()


def check_spliced_jpeg(content, w, h, interval):
    segments = dict(jpeg_segments(content))
    assert 0xC0 in segments and 0xC2 not in segments, "baseline (SOF0), not progressive"
    assert 0xDD in segments, "restart markers: the card was spliced"
    assert int.from_bytes(segments[0xDD][:2], "big") == interval, f"a restart interval of {interval} MCUs"
    jpg = Image.open(io.BytesIO(content))
    assert jpg.format == "JPEG" and jpg.size == (w, h)
    return jpg.convert("RGB")


@pytest.mark.parametrize("scale", [1, 2])
def test_every_refcard_is_a_spliced_jpeg_of_the_card(start_server, scale):
    server = start_server("--memory-budget-mb", "512")
    cards = []
    for fixture in ("elite_warthog.binds", "dcs_warthog_stick.diff.lua", "card_elite_button_box_150.binds"):
        for d in upload(server, fixture)["devices"]:
            cards.append(d["cards"])
            if d.get("pages", 1) > 1:
                cards.append({k: v + "?page=2" for k, v in d["cards"].items()})
    assert len(cards) >= 7
    for c in cards:
        sep = "&" if "?" in c["jpg"] else "?"
        r = server.get(c["jpg"] + f"{sep}scale={scale}")
        assert r.status_code == 200, (c["jpg"], r.text[:200])
        jpg = check_spliced_jpeg(r.content, 1920 * scale, 1080 * scale, 128 * scale // 16)
        png = server.get(c["png"] + f"{sep}scale={scale}")
        assert png.status_code == 200
        png = Image.open(io.BytesIO(png.content)).convert("RGB")
        worst = block_worst(jpg, png)
        assert worst < 30, f"{c['jpg']} {scale}x: a 16x16 block differs by {worst:.1f} on average"


def intervals(data):
    """A JPEG's header (through SOS) and the bytes of its restart intervals, markers checked in turn."""
    i = 2 + sum(4 + len(p) for _, p in jpeg_segments(data))
    assert data[-2:] == b"\xff\xd9"
    body, parts, start, j = data[i:-2], [], 0, 0
    while j < len(body) - 1:
        if body[j] == 0xFF and 0xD0 <= body[j + 1] <= 0xD7:
            assert body[j + 1] == 0xD0 + (len(parts) & 7), "restart markers in turn"
            parts.append(body[start:j])
            start = j = j + 2
        else:
            j += 2 if body[j] == 0xFF else 1
    parts.append(body[start:])
    return data[:i], parts


# z0 with places only: its graticule (a meridian every 30°: 21 px at 256 px) touches every 32 px
# cell, so none is left as stored but by the chance of a uniform cell encoding to the same bytes.
LABELLED = [("6/33/22", "places"), ("6/33/22", "graticule"), ("6/8/25", "places,graticule"),
            ("5/16/11", "places,graticule"), ("3/4/2", "places"), ("0/0/0", "places")]


@pytest.mark.parametrize("scale", ["", "@2x"])
def test_labelled_tiles_are_spliced_over_the_stored_tile(server, scale):
    size = 512 if scale else 256
    for tile, labels in LABELLED:
        stored = server.get(f"/v1/tiles/bluemarble/{tile}{scale}.jpg")
        r = server.get(f"/v1/tiles/bluemarble/{tile}{scale}.jpg?labels={labels}")
        assert stored.status_code == r.status_code == 200, r.text
        segments = dict(jpeg_segments(stored.content))
        assert 0xC0 in segments and int.from_bytes(segments[0xDD][:2], "big") == 2, "stored in cells of 2 MCUs (an older bake? make assets)"
        head, cells = intervals(stored.content)
        head_l, cells_l = intervals(r.content)
        assert head_l == head, "the stored header: tables, restart interval"
        assert len(cells_l) == len(cells) == (size // 16) * (size // 32)
        kept = sum(a == b for a, b in zip(cells_l, cells))
        assert 0 < kept < len(cells), (tile, labels, kept)  # drawn cells encoded again, the rest as stored
        jpg = Image.open(io.BytesIO(r.content))
        assert jpg.format == "JPEG" and jpg.size == (size, size)
        png = server.get(f"/v1/tiles/bluemarble/{tile}{scale}.png?labels={labels}")
        png = Image.open(io.BytesIO(png.content)).convert("RGB")
        worst = block_worst(jpg.convert("RGB"), png)
        assert worst < 30, f"{tile}{scale} {labels}: a 16x16 block differs by {worst:.1f} on average"


def test_labelled_tile_of_a_foreign_archive_is_encoded_whole(start_server, server, tmp_path):
    """JPEG tiles written by GDAL (no restart interval) are not in cell form: a labelled tile is
    the whole tile decoded, drawn on and encoded, as before splicing."""
    (tmp_path / "tile.png").write_bytes(server.get("/v1/tiles/bluemarble/3/4/2.png").content)
    half = 20037508.342789244
    step = 2 * half / 8
    ulx, uly = -half + 4 * step, half - 2 * step
    for args in (["-of", "GTiff", "-a_srs", "EPSG:3857", "-a_ullr", ulx, uly, ulx + step, uly - step,
                  tmp_path / "tile.png", tmp_path / "tile.tif"],
                 ["-of", "MBTILES", "-co", "TILE_FORMAT=JPEG", "-co", "QUALITY=85", tmp_path / "tile.tif",
                  tmp_path / "g.mbtiles"]):
        out = subprocess.run(["gdal_translate", "-q", *map(str, args)], capture_output=True, text=True, timeout=120)
        assert out.returncode == 0, out.stderr
    with sqlite3.connect(tmp_path / "g.mbtiles") as db:
        blob = db.execute("select tile_data from tiles where zoom_level = 3").fetchone()[0]
    assert blob[:2] == b"\xff\xd8" and 0xDD not in dict(jpeg_segments(blob)), "GDAL wrote no restart interval"
    s = start_server("--layer", f"g={tmp_path / 'g.mbtiles'}")
    for labels in ("places", "places,graticule"):
        r = s.get(f"/v1/tiles/g/3/4/2.jpg?labels={labels}")
        assert r.status_code == 200, r.text
        assert 0xDD not in dict(jpeg_segments(r.content)), "encoded whole (TurboJPEG, no restarts)"
        jpg = Image.open(io.BytesIO(r.content)).convert("RGB")
        png = Image.open(io.BytesIO(s.get(f"/v1/tiles/g/3/4/2.png?labels={labels}").content)).convert("RGB")
        assert jpg.size == (256, 256) and block_worst(jpg, png) < 30
        plain = Image.open(io.BytesIO(blob)).convert("RGB")
        assert ImageChops.difference(jpg, plain).getbbox() is not None  # the labels show


from test_web import chromium  # noqa: E402,F401  (the headless Chromium fixture)


def test_chromium_decodes_spliced_cards(server, chromium):
    """Chromium's own decoder reads a spliced card (W1-all, 4:2:0, a 2x 4:4:4 og, a refcard, a labelled tile) to the pixels
    Pillow reads, within a couple of levels (decoders may upsample chroma differently)."""
    desc = server.get("/v1/templates/w1").json()
    w1_all = "&".join(f"text.{s['id']}={quote(s['default'] + ' #77')}" for s in desc["slots"])
    og = server.get("/v1/templates/og").json()
    stick = next(d["cards"]["jpg"] for d in upload(server, "elite_warthog.binds")["devices"]
                 if d["device"] == "warthog-stick")
    d = chromium()
    for path in (f"/v1/cards/w1.jpg?{w1_all}",
                 f"/v1/cards/og.jpg?{texts_for(og, 3)}&scale=2&subsampling=444", stick,
                 "/v1/tiles/bluemarble/6/33/22.jpg?labels=places,graticule"):
        ref = Image.open(io.BytesIO(server.get(path).content)).convert("RGB")
        d.get(server.url + path)
        got = d.execute_script("""
            const img = document.images[0];
            if (!img || !img.complete || !img.naturalWidth) return null;
            const c = document.createElement('canvas');
            c.width = img.naturalWidth; c.height = img.naturalHeight;
            const g = c.getContext('2d');
            g.drawImage(img, 0, 0);
            const out = [img.naturalWidth, img.naturalHeight];
            for (const [x, y] of arguments[0]) out.push(Array.from(g.getImageData(x, y, 1, 1).data.slice(0, 3)));
            return out;""", [[x, y] for y in range(0, ref.height, ref.height // 9) for x in range(5, ref.width, ref.width // 7)])
        assert got is not None, f"Chromium did not decode {path}"
        assert got[:2] == [ref.width, ref.height]
        points = [(x, y) for y in range(0, ref.height, ref.height // 9) for x in range(5, ref.width, ref.width // 7)]
        for (x, y), px in zip(points, got[2:]):
            want = ref.getpixel((x, y))
            assert all(abs(a - b) <= 3 for a, b in zip(px, want)), (path, x, y, px, want)
