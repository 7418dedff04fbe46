/**
 * The byte layout of a COG as GDAL's COG driver writes it and its validator expects: header,
 * GDAL's "ghost" structural metadata, every IFD (full resolution first), then tile data from the
 * smallest overview to full resolution, each level in row-major order with a size leader and a
 * repeated-last-4-bytes trailer around every tile.
 */
import type { FileHandle } from "node:fs/promises";
import { encodeIfd, ifdSize, type Tag, tiffHeader } from "./tiff-ifd.ts";
import { writeAllAt } from "./write-all.ts";

const GHOST_BODY =
  "LAYOUT=IFDS_BEFORE_DATA\nBLOCK_ORDER=ROW_MAJOR\nBLOCK_LEADER=SIZE_AS_UINT4\nBLOCK_TRAILER=LAST_4_BYTES_REPEATED\nKNOWN_INCOMPATIBLE_EDITION=NO\n ";

/** "GDAL_STRUCTURAL_METADATA_SIZE=000140 bytes\n" + body, NUL-padded to an even length (byte for byte as GDAL 3.6). */
export function ghostHeader(): Buffer {
  const text = `GDAL_STRUCTURAL_METADATA_SIZE=${String(GHOST_BODY.length).padStart(6, "0")} bytes\n${GHOST_BODY}`;
  return Buffer.from(text.length % 2 ? `${text}\0` : text, "latin1");
}

export interface LevelData {
  /** Tile data offsets inside this level's spill file. */
  offsets: number[];
  spillSize: number;
  spill: FileHandle;
}

export interface Layout {
  big: boolean;
  ifdStarts: number[];
  /** File offset of each level's spill data. */
  dataStarts: number[];
  size: number;
}

/** Where everything goes; `tagsFor(i, offsets, big)` gives level i's tags (sizes do not depend on offset values). */
export function planLayout(levels: LevelData[], tagsFor: (i: number, offsets: number[], big: boolean) => Tag[], big: boolean): Layout {
  const ifdStarts: number[] = [];
  let p = (big ? 16 : 8) + ghostHeader().byteLength;
  for (let i = 0; i < levels.length; i++) {
    ifdStarts.push(p);
    p += ifdSize(tagsFor(i, levels[i]!.offsets, big), big);
  }
  const dataStarts: number[] = new Array(levels.length);
  for (let i = levels.length - 1; i >= 0; i--) {
    dataStarts[i] = p;
    p += levels[i]!.spillSize;
  }
  return { big, ifdStarts, dataStarts, size: p };
}

/** Writes header, ghost, IFDs and every level's spill data into `out`. */
export async function writeLayout(
  out: FileHandle,
  levels: LevelData[],
  tagsFor: (i: number, offsets: number[], big: boolean) => Tag[],
  l: Layout,
): Promise<void> {
  const head = [tiffHeader(l.big, l.ifdStarts[0]!), ghostHeader()];
  for (let i = 0; i < levels.length; i++) {
    const offsets = levels[i]!.offsets.map((o) => o + l.dataStarts[i]!);
    head.push(encodeIfd(tagsFor(i, offsets, l.big), l.big, l.ifdStarts[i]!, i + 1 < levels.length ? l.ifdStarts[i + 1]! : 0));
  }
  const headBytes = head.reduce((n, b) => n + b.byteLength, 0);
  if (headBytes !== l.ifdStarts.at(-1)! + head.at(-1)!.byteLength) throw new Error("the TIFF header and IFDs do not match the planned layout");
  await writeAllAt(out, head, 0);
  for (let i = levels.length - 1; i >= 0; i--) await copyRange(levels[i]!.spill, levels[i]!.spillSize, out, l.dataStarts[i]!);
}

/** Copies `size` bytes from the start of `src` to `dst` at `at`, reading the next chunk while the last one is written. */
async function copyRange(src: FileHandle, size: number, dst: FileHandle, at: number): Promise<void> {
  const chunk = Math.min(size, 8 << 20);
  const bufs = [Buffer.allocUnsafe(chunk), Buffer.allocUnsafe(chunk)];
  let pendingWrite: Promise<unknown> = Promise.resolve();
  for (let off = 0, k = 0; off < size; k ^= 1) {
    const buf = bufs[k]!;
    const { bytesRead } = await src.read(buf, 0, Math.min(chunk, size - off), off);
    if (bytesRead === 0) throw new Error("spill file ended early");
    await pendingWrite;
    const to = at + off;
    pendingWrite = writeAllAt(dst, [buf.subarray(0, bytesRead)], to);
    off += bytesRead;
  }
  await pendingWrite;
}
