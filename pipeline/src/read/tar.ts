/** Reading a (gzipped) tar archive into memory: ustar headers, regular files only. */
import { readFile } from "node:fs/promises";
import { gunzipSync } from "node:zlib";
import { CorruptFile, ReewatchError } from "../errors.ts";

export async function readTar(path: string): Promise<Map<string, Uint8Array>> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (err) {
    throw new ReewatchError(`${path}: cannot open (${(err as NodeJS.ErrnoException).code})`);
  }
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzipSync(bytes);
    } catch (err) {
      throw new CorruptFile(`${path}: gzip data is corrupt or truncated (${(err as Error).message})`);
    }
  }
  return parseTar(bytes, path);
}

/** Regular files of a ustar/GNU tar archive; headers are checksummed and the end-of-archive block required. */
export function parseTar(bytes: Uint8Array, label: string): Map<string, Uint8Array> {
  const files = new Map<string, Uint8Array>();
  const text = (a: number, b: number) => Buffer.from(bytes.subarray(a, b)).toString("latin1").replace(/\0.*$/s, "").trim();
  let p = 0;
  let ended = false;
  while (p + 512 <= bytes.length) {
    if (bytes.subarray(p, p + 512).every((b) => b === 0)) {
      ended = true;
      break;
    }
    const name = text(p, p + 100);
    if (!checksumOk(bytes.subarray(p, p + 512), Number.parseInt(text(p + 148, p + 156), 8)))
      throw new CorruptFile(`${label}: tar header at byte ${p} fails its checksum: corrupt or not a tar archive`);
    const type = String.fromCharCode(bytes[p + 156] || 48);
    const prefix = text(p + 345, p + 500);
    const member = prefix ? `${prefix}/${name}` : name;
    // Octal digits only: parseInt reads "-1000" as a negative size, which stepped back to this header forever.
    const sizeText = text(p + 124, p + 136);
    if (!/^[0-7]*$/.test(sizeText))
      throw new CorruptFile(`${label}: tar member ${shown(member)} has size ${shown(sizeText)}, not an octal byte count: corrupt`);
    const size = Number.parseInt(sizeText || "0", 8);
    if (p + 512 + size > bytes.length) throw new CorruptFile(`${label}: tar member ${shown(member)} runs past the end of the archive: truncated`);
    if (type === "0" || type === "\0") files.set(member, bytes.subarray(p + 512, p + 512 + size));
    p += 512 + Math.ceil(size / 512) * 512;
  }
  if (!ended) throw new CorruptFile(`${label}: tar archive ends without its end-of-archive block at byte ${p}: truncated`);
  if (files.size === 0) throw new CorruptFile(`${label}: no files in the tar archive`);
  return files;
}

/**
 * Header text quoted for a one-line message: control and non-ASCII characters escaped, and the
 * second space of a run, so that the message reads the same after white space is collapsed.
 */
const shown = (s: string): string => JSON.stringify(s).replace(/[^\x20-\x7e]|(?<= ) /g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);

/** Header checksum: byte sum with the checksum field read as spaces. */
function checksumOk(h: Uint8Array, want: number): boolean {
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : h[i]!;
  return sum === want;
}
