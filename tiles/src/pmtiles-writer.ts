/**
 * Writes a PMTiles v3 archive (github.com/protomaps/PMTiles, spec v3): one file holding a tile
 * pyramid, read by MapLibre through the `pmtiles` protocol with HTTP range requests, so a static
 * host serves a map without a folder tree of tiles.
 *
 * Hand-written because no maintained JavaScript writer exists: the `pmtiles` package only reads
 * (we use its Hilbert tile ids, and its reader checks these files in tests/static-export.test.ts),
 * and go-pmtiles is a Go binary. The format is small: a 127-byte header, gzip'd varint
 * directories, JSON metadata, then the tile bytes.
 *
 * Layout: header | root directory | metadata | leaf directories | tile data. Identical tiles are
 * stored once; consecutive tile ids with the same bytes become one run-length entry.
 */
import { createHash } from "node:crypto";
import { gzipSync } from "node:zlib";
import { zxyToTileId } from "pmtiles";
import { writeFileAtomic } from "../../pipeline/src/index.ts";

export interface PmTile {
  z: number;
  x: number;
  y: number;
  data: Uint8Array;
}

export interface PmArchiveInfo {
  /** [west, south, east, north] in degrees. */
  bounds: [number, number, number, number];
  /** [lon, lat, zoom] the map opens at. */
  center: [number, number, number];
  tileType: "png" | "webp";
  /** Free JSON stored in the archive (name, attribution, ...), as TileJSON fields are. */
  metadata: Record<string, unknown>;
}

interface Entry {
  tileId: number;
  offset: number;
  length: number;
  runLength: number;
}

const HEADER_BYTES = 127;
/** The spec asks that the header and the root directory fit in the first 16 KiB (one range request). */
const ROOT_LIMIT = 16384 - HEADER_BYTES;
const COMPRESSION_NONE = 1;
const COMPRESSION_GZIP = 2;
const TILE_TYPE = { png: 2, webp: 4 } as const;

export async function writePmtiles(path: string, tiles: PmTile[], info: PmArchiveInfo): Promise<void> {
  if (!tiles.length) throw new Error(`${path}: no tiles to write`);
  const { entries, data, contents } = packTiles(tiles);
  const { root, leaves } = directories(entries);
  const metadata = gzipSync(JSON.stringify(info.metadata));
  const zooms = tiles.map((t) => t.z);
  const header = encodeHeader({
    rootLength: root.length,
    metadataLength: metadata.length,
    leavesLength: leaves.length,
    dataLength: data.length,
    addressed: tiles.length,
    entries: entries.length,
    contents,
    minZoom: Math.min(...zooms),
    maxZoom: Math.max(...zooms),
    info,
  });
  await writeFileAtomic(path, Buffer.concat([header, root, metadata, leaves, data]));
}

/** Tiles in tile-id order, identical bytes stored once, runs of equal neighbours merged. */
function packTiles(tiles: PmTile[]): { entries: Entry[]; data: Buffer; contents: number } {
  const sorted = tiles.map((t) => ({ id: zxyToTileId(t.z, t.x, t.y), data: t.data })).sort((a, b) => a.id - b.id);
  const seen = new Map<string, { offset: number; length: number }>();
  const chunks: Uint8Array[] = [];
  const entries: Entry[] = [];
  let size = 0;
  for (const t of sorted) {
    const hash = createHash("sha256").update(t.data).digest("hex");
    let at = seen.get(hash);
    if (!at) {
      at = { offset: size, length: t.data.length };
      seen.set(hash, at);
      chunks.push(t.data);
      size += t.data.length;
    }
    const last = entries.at(-1);
    if (last && last.offset === at.offset && last.tileId + last.runLength === t.id) last.runLength++;
    else entries.push({ tileId: t.id, offset: at.offset, length: at.length, runLength: 1 });
  }
  return { entries, data: Buffer.concat(chunks), contents: seen.size };
}

/** The root directory, split into leaf directories (ever larger) until the root fits its limit. */
function directories(entries: Entry[]): { root: Buffer; leaves: Buffer } {
  const root = encodeDirectory(entries);
  if (root.length <= ROOT_LIMIT) return { root, leaves: Buffer.alloc(0) };
  for (let leafSize = 4096; ; leafSize *= 2) {
    const leafBytes: Buffer[] = [];
    const rootEntries: Entry[] = [];
    let offset = 0;
    for (let i = 0; i < entries.length; i += leafSize) {
      const leaf = encodeDirectory(entries.slice(i, i + leafSize));
      rootEntries.push({ tileId: entries[i]!.tileId, offset, length: leaf.length, runLength: 0 });
      leafBytes.push(leaf);
      offset += leaf.length;
    }
    const r = encodeDirectory(rootEntries);
    if (r.length <= ROOT_LIMIT) return { root: r, leaves: Buffer.concat(leafBytes) };
  }
}

/** A directory: entry count, then delta tile ids, run lengths, lengths and offsets (0 = right after the previous), gzip'd. */
function encodeDirectory(entries: Entry[]): Buffer {
  const out: number[] = [];
  varint(out, entries.length);
  let lastId = 0;
  for (const e of entries) {
    varint(out, e.tileId - lastId);
    lastId = e.tileId;
  }
  for (const e of entries) varint(out, e.runLength);
  for (const e of entries) varint(out, e.length);
  for (const [i, e] of entries.entries()) {
    const prev = entries[i - 1];
    varint(out, prev && e.offset === prev.offset + prev.length ? 0 : e.offset + 1);
  }
  return gzipSync(Uint8Array.from(out));
}

/** Unsigned LEB128; arithmetic rather than bit operations, as tile ids pass 2^32 above zoom 15. */
function varint(out: number[], value: number): void {
  let v = value;
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
}

interface HeaderFields {
  rootLength: number;
  metadataLength: number;
  leavesLength: number;
  dataLength: number;
  addressed: number;
  entries: number;
  contents: number;
  minZoom: number;
  maxZoom: number;
  info: PmArchiveInfo;
}

function encodeHeader(h: HeaderFields): Buffer {
  const b = Buffer.alloc(HEADER_BYTES);
  b.write("PMTiles", 0, "ascii");
  b.writeUInt8(3, 7);
  const rootOffset = HEADER_BYTES;
  const metadataOffset = rootOffset + h.rootLength;
  const leavesOffset = metadataOffset + h.metadataLength;
  const dataOffset = leavesOffset + h.leavesLength;
  const u64 = [rootOffset, h.rootLength, metadataOffset, h.metadataLength, leavesOffset, h.leavesLength, dataOffset, h.dataLength];
  u64.push(h.addressed, h.entries, h.contents);
  for (const [i, v] of u64.entries()) b.writeBigUInt64LE(BigInt(v), 8 + 8 * i);
  b.writeUInt8(1, 96); // clustered: tile data is in tile-id order
  b.writeUInt8(COMPRESSION_GZIP, 97); // directories and metadata
  b.writeUInt8(COMPRESSION_NONE, 98); // tiles (PNG/WebP compress themselves)
  b.writeUInt8(TILE_TYPE[h.info.tileType], 99);
  b.writeUInt8(h.minZoom, 100);
  b.writeUInt8(h.maxZoom, 101);
  const e7 = (deg: number) => Math.round(deg * 1e7);
  const [w, s, e, n] = h.info.bounds;
  for (const [i, v] of [w, s, e, n].entries()) b.writeInt32LE(e7(v), 102 + 4 * i);
  const [lon, lat, zoom] = h.info.center;
  b.writeUInt8(Math.max(h.minZoom, Math.min(h.maxZoom, Math.round(zoom))), 118);
  b.writeInt32LE(e7(lon), 119);
  b.writeInt32LE(e7(lat), 123);
  return b;
}
