import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";

/** SHA-256 of a file as hex, streamed (inputs can be large). */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

export function sha256Text(text: string | Uint8Array): string {
  return createHash("sha256").update(text).digest("hex");
}

/** STAC file extension checksum: a multihash, 0x12 (sha2-256) 0x20 (32 bytes) + digest. */
export function multihashSha256(hex: string): string {
  return `1220${hex}`;
}
