// pmtiles_read.mjs — reads a PMTiles archive with the reference decoder from npm (the
// `pmtiles` package) and prints what it finds as JSON, for test_archives.py to compare with
// what cartouche serves.
//   node pmtiles_read.mjs NODE_MODULES_DIR ARCHIVE Z/X/Y ...
// Prints {"header": {...}, "metadata": {...}, "ids": {"z/x/y": id}, "tiles": {"z/x/y":
// {"length": n, "sha256": hex} | null}}.
import { createHash } from "node:crypto";
import { openSync, readSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const [modules, archive, ...tiles] = process.argv.slice(2);
const { PMTiles, zxyToTileId } = await import(
  pathToFileURL(join(modules, "pmtiles", "dist", "index.js")).href
);

// A Source over a local file: the decoder asks for byte ranges, as it would over HTTP.
class LocalSource {
  constructor(path) {
    this.path = path;
    this.fd = openSync(path, "r");
  }
  getKey() {
    return this.path;
  }
  async getBytes(offset, length) {
    const buf = Buffer.alloc(length);
    const n = readSync(this.fd, buf, 0, length, offset);
    const data = buf.buffer.slice(buf.byteOffset, buf.byteOffset + n);
    return { data };
  }
}

const p = new PMTiles(new LocalSource(archive));
const header = await p.getHeader();
const metadata = await p.getMetadata();
const out = { header, metadata, ids: {}, tiles: {} };
for (const t of tiles) {
  const [z, x, y] = t.split("/").map(Number);
  out.ids[t] = zxyToTileId(z, x, y);
  const r = await p.getZxy(z, x, y);
  out.tiles[t] = r
    ? { length: r.data.byteLength, sha256: createHash("sha256").update(Buffer.from(r.data)).digest("hex") }
    : null;
}
process.stdout.write(JSON.stringify(out));
