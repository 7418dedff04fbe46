/**
 * Positional writes that finish or fail. A filling disk can take part of a write and refuse the
 * rest only on the next call (with ENOSPC), so a short write is continued, never taken as done
 * and never reported as a bare "short write" that hides the cause.
 */
import type { FileHandle } from "node:fs/promises";

/** Writes every byte of `parts`, in order, at `position`. */
export async function writeAllAt(file: FileHandle, parts: Uint8Array[], position: number): Promise<void> {
  let rest = parts.filter((p) => p.byteLength > 0);
  while (rest.length > 0) {
    const { bytesWritten } = await file.writev(rest, position);
    if (bytesWritten <= 0) throw Object.assign(new Error(`write at byte ${position} made no progress`), { code: "EIO" });
    position += bytesWritten;
    rest = dropBytes(rest, bytesWritten);
  }
}

/** `parts` without their first `n` bytes. */
function dropBytes(parts: Uint8Array[], n: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const p of parts) {
    if (n >= p.byteLength) {
      n -= p.byteLength;
      continue;
    }
    out.push(n > 0 ? p.subarray(n) : p);
    n = 0;
  }
  return out;
}
