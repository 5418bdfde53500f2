"""Tile archives with other tools: what `cartouche bake` writes is read by the reference PMTiles
decoder from npm (tests/integration/pmtiles_read.mjs) and by GDAL's MBTiles driver (gdalinfo),
and an MBTiles that GDAL wrote (gdal_translate -of MBTILES, gdaladdo overviews) from a GeoTIFF
made here is served with `--layer NAME=PATH`, its metadata in the TileJSON."""
import hashlib
import io
import json
import math
import os
import shutil
import subprocess

import pytest
from PIL import Image, ImageChops, ImageStat

from conftest import BIN, ROOT

BAKED = os.path.join(ROOT, "assets", "baked", "tiles")
NPM = os.environ.get("CARTOUCHE_NPM", os.path.join(ROOT, "build", "npm"))
HALF = 20037508.342789244  # half the Web Mercator world, metres


def image(r):
    return Image.open(io.BytesIO(r.content))


def run(*args):
    out = subprocess.run([str(a) for a in args], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, f"{args}: {out.stderr}"
    return out.stdout


def reference_read(archive, tiles):
    """The npm `pmtiles` decoder's view of an archive (header, metadata, tiles' digests)."""
    script = os.path.join(ROOT, "tests", "integration", "pmtiles_read.mjs")
    return json.loads(run("node", script, os.path.join(NPM, "node_modules"), archive, *tiles))


def tile_bounds_m(z, x, y):
    size = 2 * HALF / (1 << z)
    return -HALF + x * size, HALF - y * size, -HALF + (x + 1) * size, HALF - (y + 1) * size


def rms(a, b):
    diff = ImageChops.difference(a.convert("RGB"), b.convert("RGB"))
    return math.sqrt(sum(v * v for v in ImageStat.Stat(diff).rms) / 3)


@pytest.fixture(scope="module")
def user_assets(tmp_path_factory):
    """A private assets folder (built-in layers linked in) with a user layer baked as both
    archive kinds over the Alps, from a patterned image."""
    tmp = tmp_path_factory.mktemp("archives")
    d = tmp / "assets" / "baked" / "tiles"
    d.mkdir(parents=True)
    assets = os.path.join(ROOT, "assets")
    for name in os.listdir(assets):
        if name != "baked":
            os.symlink(os.path.join(assets, name), tmp / "assets" / name)
    for name in os.listdir(os.path.join(assets, "baked")):
        if name != "tiles":
            os.symlink(os.path.join(assets, "baked", name), tmp / "assets" / "baked" / name)
    for name in os.listdir(BAKED):
        if not name.endswith(".tmp"):
            os.symlink(os.path.join(BAKED, name), d / name)
    img = Image.new("RGBA", (400, 400), (40, 150, 60, 255))
    for i in range(0, 400, 40):  # stripes, so that misplaced tiles show
        img.paste((200, 60, 40, 255), (i, 0, i + 20, 400))
    img.save(tmp / "alps.png")
    out = run(BIN, "bake", "--assets", tmp / "assets", "--image", tmp / "alps.png", "--bounds",
              "5,40,15,50", "--layer", "alps", "--datetime", "2021-06-01T00:00:00Z",
              "--archive", "both")
    assert "alps: 50 PNG tiles" in out
    return tmp


def test_reference_decoder_reads_the_baked_world(server):
    tiles = ["0/0/0", "3/4/2", "5/17/11", "6/63/63", "6/0/0"]
    ref = reference_read(os.path.join(BAKED, "bluemarble.pmtiles"), tiles + ["7/0/0"])
    h = ref["header"]
    assert h["specVersion"] == 3 and h["tileType"] == 3  # JPEG
    assert (h["minZoom"], h["maxZoom"]) == (0, 6)
    assert h["clustered"] and h["numAddressedTiles"] == sum(4 ** z for z in range(7))
    assert h["rootDirectoryOffset"] + h["rootDirectoryLength"] <= 16384
    assert abs(h["maxLat"] - 85.0511) < 1e-3 and h["minLon"] == -180
    tj = server.get("/v1/tiles/bluemarble.json").json()
    assert ref["metadata"]["attribution"] == tj["attribution"]
    assert ref["tiles"]["7/0/0"] is None
    for t in tiles:
        r = server.get(f"/v1/tiles/bluemarble/{t}.jpg")
        assert r.status_code == 200
        assert ref["tiles"][t]["length"] == len(r.content), t
        assert ref["tiles"][t]["sha256"] == hashlib.sha256(r.content).hexdigest(), t
    # The @2x archive: 512 px tiles.
    ref2 = reference_read(os.path.join(BAKED, "bluemarble@2x.pmtiles"), ["3/4/2"])
    r = server.get("/v1/tiles/bluemarble/3/4/2@2x.jpg")
    assert ref2["tiles"]["3/4/2"]["sha256"] == hashlib.sha256(r.content).hexdigest()
    assert image(r).size == (512, 512)


def test_png_is_made_from_the_stored_jpeg(server):
    jpg = server.get("/v1/tiles/bluemarble/3/4/3.jpg")
    png = server.get("/v1/tiles/bluemarble/3/4/3.png")
    assert png.status_code == 200 and png.headers["Content-Type"] == "image/png"
    assert rms(image(jpg), image(png)) < 1.0  # the same pixels, losslessly re-encoded
    assert png.headers["ETag"] != jpg.headers["ETag"]
    again = server.get("/v1/tiles/bluemarble/3/4/3.png", headers={"If-None-Match": png.headers["ETag"]})
    assert again.status_code == 304


def test_reference_decoder_reads_a_user_layer(user_assets):
    d = user_assets / "assets" / "baked" / "tiles"
    ref = reference_read(d / "alps.pmtiles", ["6/33/22", "6/40/22", "0/0/0"])
    h = ref["header"]
    assert h["tileType"] == 2  # PNG: the image covers part of the world
    assert [round(h[k], 4) for k in ("minLon", "minLat", "maxLon", "maxLat")] == [5, 40, 15, 50]
    assert ref["tiles"]["6/33/22"] and ref["tiles"]["0/0/0"]
    assert ref["tiles"]["6/40/22"] is None  # east of the image
    assert ref["metadata"]["name"] == "alps"


def test_gdalinfo_reads_the_baked_mbtiles(user_assets):
    path = user_assets / "assets" / "baked" / "tiles" / "alps.mbtiles"
    info = json.loads(run("gdalinfo", "-json", path))
    assert info["driverShortName"] == "MBTiles"
    assert "3857" in json.dumps(info["coordinateSystem"])
    assert info["metadata"][""]["name"] == "alps"
    assert info["metadata"][""]["format"] == "png"
    # GDAL reads the bounds (its extent: the image's bounds to a z6 pixel, 0.022°), the zoom
    # range (overviews down to z0) and the TMS row order.
    (w, n), (e, s) = info["cornerCoordinates"]["upperLeft"], info["cornerCoordinates"]["lowerRight"]
    lon = lambda m: m / HALF * 180
    lat = lambda m: math.degrees(math.atan(math.sinh(m / HALF * math.pi)))
    assert [round(v, 1) for v in (lon(w), lat(s), lon(e), lat(n))] == [5, 40, 15, 50]
    assert info["metadata"][""]["minzoom"] == "0" and info["metadata"][""]["maxzoom"] == "6"
    assert len(info["bands"][0]["overviews"]) >= 2  # GDAL lists the zooms above 1 tile wide
    # GDAL's pixels at the centre of the image are the image's.
    png = user_assets / "gdal-centre.png"
    cx, cy = (w + e) / 2, (n + s) / 2
    run("gdal_translate", "-q", "-of", "PNG", "-projwin", cx - 5000, cy + 5000, cx + 5000, cy - 5000,
        path, png)
    px = Image.open(png).convert("RGBA").getpixel((1, 1))
    assert px[3] == 255 and (px[:3] in [(40, 150, 60), (200, 60, 40)] or max(px[:3]) > 30)


@pytest.fixture(scope="module")
def gdal_mbtiles(tmp_path_factory, server):
    """A GeoTIFF in Web Mercator made from baked tile 3/4/2, written to MBTiles by GDAL
    (gdal_translate -of MBTILES) with overviews (gdaladdo)."""
    tmp = tmp_path_factory.mktemp("gdal")
    r = server.get("/v1/tiles/bluemarble/3/4/2.png")
    (tmp / "tile.png").write_bytes(r.content)
    ulx, uly, lrx, lry = tile_bounds_m(3, 4, 2)
    run("gdal_translate", "-q", "-of", "GTiff", "-a_srs", "EPSG:3857", "-a_ullr", ulx, uly, lrx,
        lry, tmp / "tile.png", tmp / "tile.tif")
    run("gdal_translate", "-q", "-of", "MBTILES", "-co", "NAME=Blue Marble tile",
        "-co", "DESCRIPTION=made by GDAL", tmp / "tile.tif", tmp / "gdal.mbtiles")
    run("gdaladdo", "-q", "-r", "average", tmp / "gdal.mbtiles", "2", "4", "8")
    return tmp


def test_serves_an_mbtiles_written_by_gdal(start_server, gdal_mbtiles, server):
    s = start_server("--layer", f"gdal={gdal_mbtiles / 'gdal.mbtiles'}")
    tj = s.get("/v1/tiles/gdal.json").json()
    assert (tj["minzoom"], tj["maxzoom"]) == (2, 3)  # gdaladdo stops where a level fits a tile
    assert tj["description"] == "made by GDAL"
    assert tj["tiles"][0].endswith("/v1/tiles/gdal/{z}/{x}/{y}.png")
    w, s_, e, n = tj["bounds"]
    assert abs(w - 0) < 0.01 and abs(e - 45) < 0.01  # tile 3/4/2: 0..45°E
    assert abs(n - 66.5133) < 0.01 and abs(s_ - 40.9799) < 0.01
    # The tile itself: the baked pixels, as GDAL stored them.
    original = Image.open(gdal_mbtiles / "tile.png")
    for ext in ("png", "jpg"):
        r = s.get(f"/v1/tiles/gdal/3/4/2.{ext}")
        assert r.status_code == 200, r.text
        assert image(r).size == (256, 256)
        assert rms(image(r), original) < (2 if ext == "png" else 6), ext
    # The overviews gdaladdo made: z2 tile 2/1 holds the tile's area in its top-right quarter.
    r = s.get("/v1/tiles/gdal/2/2/1.png")
    assert r.status_code == 200
    quarter = image(r).convert("RGB").crop((0, 0, 128, 128)).resize((256, 256))
    assert rms(quarter, original) < 25
    assert s.get("/v1/tiles/gdal/3/5/2.png").status_code == 404  # outside the image
    assert s.get("/v1/tiles/gdal/4/8/4.png").status_code == 404  # beyond maxzoom
    assert s.get("/v1/tiles/gdal/1/1/0.png").status_code == 404  # below minzoom
    assert image(s.get("/v1/tiles/gdal/3/4/2@2x.png")).size == (512, 512)  # test_layer_2x.py
    # Labels over an archive's tiles, and the built-in layers beside it.
    assert s.get("/v1/tiles/gdal/3/4/2.png?labels=graticule").status_code == 200
    assert s.get("/v1/tiles/bluemarble/3/4/2.jpg").status_code == 200


def test_serves_a_pmtiles_archive_by_path(start_server, user_assets):
    path = user_assets / "assets" / "baked" / "tiles" / "alps.pmtiles"
    copy = user_assets / "copy.pmtiles"
    shutil.copy(path, copy)
    s = start_server("--layer", f"mine={copy}")
    tj = s.get("/v1/tiles/mine.json").json()
    assert [round(v, 4) for v in tj["bounds"]] == [5, 40, 15, 50]
    assert (tj["minzoom"], tj["maxzoom"]) == (0, 6)
    r = s.get("/v1/tiles/mine/6/33/22.png")
    assert r.status_code == 200 and image(r).mode == "RGBA"
    ref = reference_read(copy, ["6/33/22"])
    assert ref["tiles"]["6/33/22"]["sha256"] == hashlib.sha256(r.content).hexdigest()


def test_layer_flag_errors(tmp_path):
    (tmp_path / "x.mbtiles").write_bytes(b"not sqlite at all" * 100)
    cases = [
        (["--layer", "Bad=x.mbtiles"], "a name is"),
        (["--layer", "ok=/nonexistent/a.mbtiles"], "No such file"),
        (["--layer", "ok=/etc/hostname"], "not a .mbtiles or .pmtiles"),
        (["--layer", "noequals"], "NAME=PATH"),
        (["--layer", f"ok={tmp_path / 'x.mbtiles'}"], "x.mbtiles"),
        (["--layer", f"bluemarble={tmp_path / 'x.mbtiles'}"], "bluemarble"),
        # a tiles view that never ends (a recursive query): refused within the step budget
        (["--layer", f"ok={os.path.join(ROOT, 'tests/fuzz/corpus/mbtiles/endless-view.mbtiles')}"],
         "takes too long"),
    ]
    for flags, words in cases:
        out = subprocess.run([BIN, "--listen", "127.0.0.1:0", *flags], cwd=ROOT,
                             capture_output=True, text=True, timeout=60)
        assert out.returncode != 0, flags
        assert words in out.stderr + out.stdout, (flags, out.stderr)


def test_old_packs_are_rebaked(start_server, user_assets):
    """A checkout baked by an older cartouche (private packs, no archives) is baked again by
    `make assets` and then serves; the packs are removed."""
    d = user_assets / "assets" / "baked" / "tiles"
    img = user_assets / "alps.png"
    args = [BIN, "bake", "--assets", user_assets / "assets", "--image", img, "--bounds",
            "5,40,15,50", "--layer", "old", "--datetime", "2021-06-01T00:00:00Z"]
    run(*args)
    for f in ("old.pmtiles", "old@2x.pmtiles"):
        os.unlink(d / f)
    for size in (256, 512):
        for ext in ("jpg", "png"):
            (d / f"old.{size}.{ext}.pack").write_bytes(b"CTPK" + b"\0" * 100)
    out = run(*args)
    assert "old: baked in" in out
    assert not [f for f in os.listdir(d) if f.startswith("old.") and f.endswith(".pack")]
    s = start_server("--assets-dir", str(user_assets / "assets"))
    assert s.get("/v1/tiles/old/6/33/22.png").status_code == 200
    assert s.get("/v1/tiles/alps/6/33/22.png").status_code == 200


def test_an_older_bake_version_is_baked_again(user_assets):
    """A layer baked before the tiles' current form (its layer.json says bake_version 3: JPEG
    tiles without restart intervals) is baked again by `make assets`; the same bake is then up to
    date."""
    d = user_assets / "assets" / "baked" / "tiles"
    args = [BIN, "bake", "--assets", user_assets / "assets", "--image", user_assets / "alps.png", "--bounds",
            "5,40,15,50", "--layer", "older", "--datetime", "2021-06-01T00:00:00Z"]
    assert "older: baked in" in run(*args)
    assert "older: up to date" in run(*args)
    meta = json.loads((d / "older.layer.json").read_text())
    meta["bake_version"] = 3
    (d / "older.layer.json").write_text(json.dumps(meta))
    out = run(*args)
    assert "older: baked in" in out
    assert json.loads((d / "older.layer.json").read_text())["bake_version"] > 3
