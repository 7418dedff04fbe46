/**
 * TIFF image file directories (classic and BigTIFF), little-endian. An IFD's size depends only on
 * its tags' types and counts, so a writer can lay out the whole file before it knows the offsets.
 */
export const ASCII = 2;
export const SHORT = 3;
export const LONG = 4;
export const DOUBLE = 12;
export const LONG8 = 16;
export type TagType = typeof ASCII | typeof SHORT | typeof LONG | typeof DOUBLE | typeof LONG8;

const TYPE_SIZE: Record<TagType, number> = { [ASCII]: 1, [SHORT]: 2, [LONG]: 4, [DOUBLE]: 8, [LONG8]: 8 };

export interface Tag {
  tag: number;
  type: TagType;
  /** Numbers, or a string for ASCII (written as UTF-8, as GDAL does; a NUL is appended). */
  values: ArrayLike<number> | string;
}

function count(t: Tag): number {
  return typeof t.values === "string" ? Buffer.byteLength(t.values, "utf8") + 1 : t.values.length;
}

function valueBytes(t: Tag): number {
  return count(t) * TYPE_SIZE[t.type];
}

/** Bytes taken by the IFD and its out-of-line values (each value block padded to even length). */
export function ifdSize(tags: Tag[], big: boolean): number {
  const inline = big ? 8 : 4;
  let size = (big ? 8 : 2) + tags.length * (big ? 20 : 12) + (big ? 8 : 4);
  for (const t of tags) {
    const n = valueBytes(t);
    if (n > inline) size += n + (n & 1);
  }
  return size;
}

/** Encodes the IFD to start at file offset `at`, pointing to `next` (0 for the last). */
export function encodeIfd(tags: Tag[], big: boolean, at: number, next: number): Uint8Array {
  const sorted = [...tags].sort((a, b) => a.tag - b.tag);
  const buf = Buffer.alloc(ifdSize(sorted, big));
  const inline = big ? 8 : 4;
  let p = 0;
  if (big) p = writeUint(buf, p, sorted.length, 8);
  else p = buf.writeUInt16LE(sorted.length, p);
  let extra = (big ? 8 : 2) + sorted.length * (big ? 20 : 12) + (big ? 8 : 4);
  for (const t of sorted) {
    p = buf.writeUInt16LE(t.tag, p);
    p = buf.writeUInt16LE(t.type, p);
    p = writeUint(buf, p, count(t), big ? 8 : 4);
    const n = valueBytes(t);
    if (n <= inline) {
      writeValues(buf, p, t);
      p += inline;
    } else {
      writeValues(buf, extra, t);
      p = writeUint(buf, p, at + extra, big ? 8 : 4);
      extra += n + (n & 1);
    }
  }
  writeUint(buf, p, next, big ? 8 : 4);
  return buf;
}

function writeUint(buf: Buffer, p: number, v: number, bytes: 4 | 8): number {
  if (bytes === 4) return buf.writeUInt32LE(v, p);
  return buf.writeBigUInt64LE(BigInt(v), p);
}

function writeValues(buf: Buffer, p: number, t: Tag): void {
  if (typeof t.values === "string") {
    buf.write(t.values, p, "utf8");
    return;
  }
  const size = TYPE_SIZE[t.type];
  for (let i = 0; i < t.values.length; i++) {
    const v = t.values[i]!;
    const q = p + i * size;
    if (t.type === SHORT) buf.writeUInt16LE(v, q);
    else if (t.type === LONG) buf.writeUInt32LE(v, q);
    else if (t.type === DOUBLE) buf.writeDoubleLE(v, q);
    else buf.writeBigUInt64LE(BigInt(v), q);
  }
}

/** The file header: "II", 42 + first IFD offset, or BigTIFF "II", 43, 8, 0 + first IFD offset. */
export function tiffHeader(big: boolean, firstIfd: number): Uint8Array {
  const buf = Buffer.alloc(big ? 16 : 8);
  buf.write("II", 0, "latin1");
  if (big) {
    buf.writeUInt16LE(43, 2);
    buf.writeUInt16LE(8, 4);
    buf.writeUInt16LE(0, 6);
    buf.writeBigUInt64LE(BigInt(firstIfd), 8);
  } else {
    buf.writeUInt16LE(42, 2);
    buf.writeUInt32LE(firstIfd, 4);
  }
  return buf;
}
