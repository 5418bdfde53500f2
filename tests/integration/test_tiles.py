"""Integration tests for tiles, TileJSON, static maps and the scene catalogue, against the real
binary and the baked assets (`make assets`). A user layer is baked into a private assets
folder and served by a private instance."""
import io
import os
import subprocess

import pytest
import requests
from PIL import Image, ImageStat

from conftest import BIN, ROOT

BAKED = os.path.join(ROOT, "assets", "baked", "tiles")


def image(r):
    return Image.open(io.BytesIO(r.content))


def test_plain_tiles_from_archives(server):
    r = server.get("/v1/tiles/bluemarble/2/1/1.jpg")
    assert r.status_code == 200
    assert r.headers["Content-Type"] == "image/jpeg"
    assert int(r.headers["Content-Length"]) == len(r.content)
    assert image(r).size == (256, 256)
    r2 = server.get("/v1/tiles/bluemarble/2/1/1@2x.png")
    assert r2.status_code == 200 and r2.headers["Content-Type"] == "image/png"
    assert image(r2).size == (512, 512)
    # CDN semantics: ETag and 304, HEAD with the same length and no body.
    etag = r.headers["ETag"]
    assert server.get("/v1/tiles/bluemarble/2/1/1.jpg",
                      headers={"If-None-Match": etag}).status_code == 304
    h = requests.head(server.url + "/v1/tiles/bluemarble/2/1/1.jpg", timeout=10)
    assert h.status_code == 200 and h.headers["Content-Length"] == r.headers["Content-Length"]
    assert h.content == b""


def test_tile_colours(server):
    # The Sahara at z3 (tile 4/3, around 20°E 25°N: Libya) is sand; the mid Pacific (tile 0/3)
    # is blue. Means over a patch: PNG tiles are made from the stored JPEG, whose 4:2:0 chroma
    # moves single pixels at coasts.
    sahara = image(server.get("/v1/tiles/bluemarble/3/4/3.png")).convert("RGB")
    r, g, b = ImageStat.Stat(sahara.crop((100, 95, 130, 125))).mean
    assert r > 150 and r > b + 40
    pacific = image(server.get("/v1/tiles/bluemarble/3/0/3.png")).convert("RGB")
    r, g, b = pacific.getpixel((128, 200))
    assert b >= r + 10 and b >= g + 5


def test_tile_errors(server):
    assert server.get("/v1/tiles/bluemarble/7/0/0.jpg").status_code == 404
    assert server.get("/v1/tiles/bluemarble/2/4/0.jpg").status_code == 404
    assert server.get("/v1/tiles/nope/0/0/0.jpg").status_code == 404
    assert server.get("/v1/tiles/bluemarble/0/0/0.gif").status_code == 404
    assert server.get("/v1/tiles/bluemarble/0/0/x.jpg").status_code == 400
    assert server.get("/v1/tiles/bluemarble/0/0/0@3x.jpg").status_code == 400
    r = server.get("/v1/tiles/bluemarble/0/0/0.jpg?labels=roads")
    assert r.status_code == 400 and r.json()["error"]["param"] == "labels"
    r = server.get("/v1/tiles/bluemarble/0/0/0.jpg?foo=1")
    assert r.status_code == 400 and r.json()["error"]["code"] == "unknown_parameter"


def test_labelled_tiles(server):
    plain = image(server.get("/v1/tiles/bluemarble/4/8/5.png")).convert("RGB")
    r = server.get("/v1/tiles/bluemarble/4/8/5.png?labels=places,graticule")
    assert r.status_code == 200
    lab = image(r).convert("RGB")
    assert lab.size == (256, 256)
    diff = sum(1 for x in range(0, 256, 2) for y in range(0, 256, 2)
               if sum(abs(a - b) for a, b in zip(plain.getpixel((x, y)), lab.getpixel((x, y)))) > 60)
    assert diff > 200  # labels and lines were drawn
    r2 = server.get("/v1/tiles/bluemarble/4/8/5@2x.jpg?labels=places")
    assert r2.status_code == 200 and image(r2).size == (512, 512)
    # Same request twice: same bytes (deterministic placement) and same ETag.
    again = server.get("/v1/tiles/bluemarble/4/8/5.png?labels=places,graticule")
    assert again.content == r.content and again.headers["ETag"] == r.headers["ETag"]


def test_tilejson(server):
    r = server.get("/v1/tiles/bluemarble.json")
    assert r.status_code == 200
    j = r.json()
    assert j["tilejson"] == "3.0.0"
    assert j["minzoom"] == 0 and j["maxzoom"] == 6
    assert j["tiles"][0].endswith("/v1/tiles/bluemarble/{z}/{x}/{y}.jpg")
    assert "NASA" in j["attribution"] and "GeoNames" in j["attribution"]
    assert abs(j["bounds"][3] - 85.0511) < 1e-3
    assert server.get("/v1/tiles/nope.json").status_code == 404


def test_static_map_key_is_canonical(server):
    q = "/v1/static?center=48.85,2.35&zoom=4&size=320x200&marker=48.85,2.35,Paris"
    base = server.get(q)
    assert base.status_code == 200
    for same in ("/v1/static?center=48.850,2.3500&zoom=4&size=320x200&marker=48.8500,2.35,Paris&scale=1",
                 "/v1/static?zoom=4&center=4.885e1,2.35&size=320x200&marker=48.85,2.35,Paris&format=jpg"
                 "&layer=bluemarble&labels=none"):
        r = server.get(same)
        assert r.status_code == 200 and r.headers["ETag"] == base.headers["ETag"], same
    # hex floats, inf and blanks are not numbers here
    for bad in ("center=0x1p5,2.35&zoom=4", "center=inf,2&zoom=4", "center=%2048.85,2.35&zoom=4",
                "bbox=-10,35,30,0x3Cp0"):
        assert server.get("/v1/static?" + bad).status_code == 400, bad
    assert server.get("/v1/scenes?bbox=0x1p2,0,40,40").status_code == 400


def test_links_ignore_the_host_header(server, start_server):
    """A Host header is the client's to choose: it must not reach cached JSON (a CDN keyed on the
    URI would serve evil.example's links to everyone). Links are relative, or --public-url."""
    for path in ("/v1/tiles/bluemarble.json", "/v1/scenes?limit=2"):
        r = server.get(path, headers={"Host": "evil.example"})
        assert r.status_code == 200 and "evil.example" not in r.text, path
        plain = server.get(path)
        assert r.text == plain.text and r.headers["ETag"] == plain.headers["ETag"]
    j = server.get("/v1/tiles/bluemarble.json").json()
    assert j["tiles"][0] == "/v1/tiles/bluemarble/{z}/{x}/{y}.jpg"
    pub = start_server("--public-url", "https://maps.example.org/")
    j = pub.get("/v1/tiles/bluemarble.json", headers={"Host": "evil.example"}).json()
    assert j["tiles"][0] == "https://maps.example.org/v1/tiles/bluemarble/{z}/{x}/{y}.jpg"
    href = pub.get("/v1/scenes?limit=1").json()["features"][0]["assets"]["tile"]["href"]
    assert href.startswith("https://maps.example.org/v1/")


def test_static_maps(server):
    r = server.get("/v1/static", params={
        "bbox": "-10,35,30,60", "size": "640x400", "scale": "2", "format": "png",
        "labels": "places", "marker": ["48.85,2.35,Paris", "52.52,13.40"],
        "label": "45,10,Alpes — été", "path": "48.85,2.35;52.52,13.40"})
    assert r.status_code == 200, r.text
    assert image(r).size == (1280, 800)
    r = server.get("/v1/static?center=0,180&zoom=1&size=300x200")
    assert r.status_code == 200 and image(r).size == (300, 200)
    for q, param in [("center=0,0&zoom=9", "zoom"), ("center=0,0", "zoom"),
                     ("center=0,0&zoom=1&size=4000x10", "size"), ("bbox=1,2,3", "bbox"),
                     ("center=0,0&zoom=1&marker=x", "marker"), ("center=0,0&zoom=1&layer=nope", "layer")]:
        r = server.get("/v1/static?" + q)
        assert r.status_code == 400, q
        assert r.json()["error"]["param"] == param, q
    r = server.get("/v1/static?center=0,0&zoom=1&bogus=1")
    assert r.status_code == 400 and r.json()["error"]["code"] == "unknown_parameter"


def test_scenes(server):
    r = server.get("/v1/scenes?sortby=greenest&limit=5")
    assert r.status_code == 200
    j = r.json()
    assert j["type"] == "FeatureCollection" and j["numberReturned"] == 5
    g = [f["properties"]["cartouche:greenness"] for f in j["features"]]
    assert g == sorted(g, reverse=True)
    f = j["features"][0]
    assert f["type"] == "Feature" and f["geometry"]["type"] == "Polygon" and len(f["bbox"]) == 4
    assert server.get(f["assets"]["tile"]["href"].split(server.url.split("//")[1])[-1]).status_code == 200
    # bbox and datetime filters: Europe in 2004 is one Blue Marble z2 tile.
    j = server.get("/v1/scenes?bbox=5,45,6,46&datetime=2004-06-01T00:00:00Z").json()
    assert [x["id"] for x in j["features"]] == ["bluemarble-2-2-1"]
    j = server.get("/v1/scenes?datetime=2000-01-01/2000-12-31").json()
    assert j["numberMatched"] == 16 and all(x["id"].startswith("citylights") for x in j["features"])
    assert server.get("/v1/scenes?sortby=nope").status_code == 400
    assert server.get("/v1/scenes?datetime=soon").json()["error"]["param"] == "datetime"
    t = server.get("/v1/scenes/bluemarble-2-2-1/thumbnail.jpg?w=96&blur=2")
    assert t.status_code == 200 and image(t).size == (96, 96)
    assert server.get("/v1/scenes/bluemarble-2-2-1/thumbnail.jpg?w=5").status_code == 400
    assert server.get("/v1/scenes/nope/thumbnail.jpg").status_code == 404


@pytest.fixture
def user_assets(tmp_path):
    """A private assets folder with the built-in layers linked in and a user layer baked."""
    d = tmp_path / "assets" / "baked" / "tiles"
    d.mkdir(parents=True)
    assets = os.path.join(ROOT, "assets")
    for name in os.listdir(assets):  # templates' backgrounds and the rest, as they are
        if name != "baked":
            os.symlink(os.path.join(assets, name), tmp_path / "assets" / name)
    for name in os.listdir(os.path.join(assets, "baked")):
        if name != "tiles":
            os.symlink(os.path.join(assets, "baked", name), tmp_path / "assets" / "baked" / name)
    for name in os.listdir(BAKED):
        if not name.endswith(".tmp"):
            os.symlink(os.path.join(BAKED, name), d / name)
    img = tmp_path / "island.png"
    Image.new("RGBA", (300, 200), (30, 160, 60, 255)).save(img)
    out = subprocess.run([BIN, "bake", "--assets", str(tmp_path / "assets"), "--image", str(img),
                          "--bounds", "170,-20,-170,-10", "--layer", "island",
                          "--datetime", "2021-06-01T00:00:00Z"], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    bad = subprocess.run([BIN, "bake", "--assets", str(tmp_path / "assets"), "--image", str(img),
                          "--bounds", "0,0,10", "--layer", "x"], capture_output=True, text=True)
    assert bad.returncode != 0 and "--bounds" in bad.stderr
    return tmp_path / "assets"


def test_user_layer(start_server, user_assets):
    s = start_server("--assets-dir", str(user_assets))
    # Across the antimeridian: the island covers tiles on both edges of the world at z3.
    for x in (0, 7):
        r = s.get(f"/v1/tiles/island/3/{x}/4.png")
        assert r.status_code == 200, x
        assert image(r).mode == "RGBA"
    assert s.get("/v1/tiles/island/3/3/4.png").status_code == 404  # no imagery there
    j = s.get("/v1/scenes?datetime=2021-01-01T00:00:00Z/..").json()
    assert [f["id"] for f in j["features"]] == ["island"]
    assert j["features"][0]["properties"]["cartouche:greenness"] > 0.5
    # The thumbnail is the layer's preview in longitude/latitude, as for every layer GDAL warps:
    # 20 x 10 degrees (the 300 x 200 px image is stretched over them).
    t = s.get("/v1/scenes/island/thumbnail.png?w=150")
    assert t.status_code == 200 and image(t).size == (150, 75)
    px = image(t).convert("RGBA").getpixel((75, 37))
    assert px[1] > 140 and px[0] < 50 and px[3] == 255, px
    assert s.get("/v1/tiles/island.json").json()["bounds"][0] == 170


def test_static_places_not_cut_at_edges(server):
    """A static map's place names lie wholly inside it: the map's border is the same with
    labels=places as without (README's example view, where names reach every edge)."""
    def border(labels):
        r = server.get("/v1/static?bbox=-10,35,30,60&size=800x600&format=png" + labels)
        assert r.status_code == 200, r.text[:200]
        im = Image.open(io.BytesIO(r.content)).convert("RGB")
        w, h = im.size
        px = im.load()
        return [px[x, y] for x in range(w) for y in (0, 1, h - 2, h - 1)] + \
               [px[x, y] for y in range(h) for x in (0, 1, w - 2, w - 1)]
    plain, placed = border(""), border("&labels=places")
    differ = sum(a != b for a, b in zip(plain, placed))
    assert differ == 0, f"{differ} border pixels changed by place labels"
