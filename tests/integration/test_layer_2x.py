"""@2x tiles of archives given with --layer (which hold 256 px tiles only): a 512 px tile of
(z, x, y) is its four children at z + 1 side by side, and where children are missing (beyond
the archive's maxzoom, outside its imagery) the tile itself upscaled. Checked against the
children's own pixels, against an upscale of the tile, and against the bake's @2x tile (made
from the source at 512 px) of the same place."""
import io
import math
import subprocess

import numpy as np
import pytest
from PIL import Image

from test_archives import BAKED, tile_bounds_m

import os


def px(r):
    assert r.status_code == 200, r.text
    return np.asarray(Image.open(io.BytesIO(r.content)).convert("RGB")).astype(float)


def rms(a, b):
    return math.sqrt(((a - b) ** 2).mean())


def psnr(a, b):
    return 10 * math.log10(255 ** 2 / max(((a - b) ** 2).mean(), 1e-9))


def run(*args):
    out = subprocess.run([str(a) for a in args], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr


@pytest.fixture(scope="module")
def gdal_archive(tmp_path_factory, server):
    """An MBTiles of tile 3/4/2 written by GDAL (PNG tiles), with gdaladdo's z2 overview."""
    tmp = tmp_path_factory.mktemp("l2x")
    (tmp / "tile.png").write_bytes(server.get("/v1/tiles/bluemarble/3/4/2.png").content)
    ulx, uly, lrx, lry = tile_bounds_m(3, 4, 2)
    run("gdal_translate", "-q", "-a_srs", "EPSG:3857", "-a_ullr", ulx, uly, lrx, lry,
        tmp / "tile.png", tmp / "tile.tif")
    run("gdal_translate", "-q", "-of", "MBTILES", tmp / "tile.tif", tmp / "gdal.mbtiles")
    run("gdaladdo", "-q", "-r", "average", tmp / "gdal.mbtiles", "2")
    return tmp / "gdal.mbtiles"


def test_2x_of_a_pmtiles_layer_is_its_children(start_server):
    s = start_server("--layer", f"bm={os.path.join(BAKED, 'bluemarble.pmtiles')}")
    big = px(s.get("/v1/tiles/bm/3/4/2@2x.png"))
    assert big.shape == (512, 512, 3)
    for i in range(4):
        dx, dy = i & 1, i >> 1
        child = px(s.get(f"/v1/tiles/bm/4/{8 + dx}/{4 + dy}.png"))
        quarter = big[dy * 256:(dy + 1) * 256, dx * 256:(dx + 1) * 256]
        assert rms(quarter, child) < 1.0, i
    # the same ground as the bake's own @2x tile (made from the source at 512 px)
    baked = px(s.get("/v1/tiles/bluemarble/3/4/2@2x.png"))
    assert psnr(big, baked) > 28
    # JPEG too, and a static map at scale 2 draws with them
    r = s.get("/v1/tiles/bm/3/4/2@2x.jpg")
    assert Image.open(io.BytesIO(r.content)).size == (512, 512)
    assert psnr(px(r), big) > 30
    st = px(s.get("/v1/static?layer=bm&center=50,20&zoom=3&size=200x100&scale=2"))
    assert st.shape == (200, 400, 3) and st.mean() > 20  # imagery, not the empty black


def test_2x_of_a_gdal_mbtiles(start_server, gdal_archive):
    s = start_server("--layer", f"g={gdal_archive}")
    one = px(s.get("/v1/tiles/g/3/4/2.png"))
    # at maxzoom: the tile upscaled
    big = px(s.get("/v1/tiles/g/3/4/2@2x.png"))
    assert big.shape == (512, 512, 3)
    up = np.asarray(Image.fromarray(one.astype(np.uint8)).resize((512, 512), Image.BILINEAR))
    assert psnr(big, up.astype(float)) > 35
    # z2: one child (3/4/2, top-left) exists; the rest is the z2 tile upscaled
    big2 = px(s.get("/v1/tiles/g/2/2/1@2x.png"))
    assert rms(big2[:256, :256], one) < 1.0
    z2 = px(s.get("/v1/tiles/g/2/2/1.png"))
    up2 = np.asarray(Image.fromarray(z2.astype(np.uint8)).resize((512, 512), Image.BILINEAR))
    assert psnr(big2[256:, 256:], up2[256:, 256:].astype(float)) > 35
    # where the archive has nothing, @2x is 404 like 1x
    assert s.get("/v1/tiles/g/3/5/2@2x.png").status_code == 404
    assert s.get("/v1/tiles/g/3/5/2.png").status_code == 404
