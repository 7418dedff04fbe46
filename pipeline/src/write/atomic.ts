/**
 * Atomic writes: write to a unique temporary name in the same directory, fsync, then rename, so
 * a reader sees the old file or the whole new one, never a part. Errors are one line naming the
 * path and the cause.
 */
import { randomBytes } from "node:crypto";
import { constants } from "node:fs";
import { access, open, readdir, rename, rm, stat } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { ReewatchError } from "../errors.ts";

/** A unique temporary path beside `path` (same directory, so the final rename is atomic). */
export function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
}

/** Names tempPathFor gives: a hidden file ending in the writer's pid, 8 random hex digits and ".tmp". */
const TEMP_NAME = /^\..+\.\d+\.[0-9a-f]{8}\.tmp$/;

/**
 * Deletes the temporary files a killed writer left anywhere under `dir` (a rename never
 * happened). Only for a directory no other writer is using at the time.
 */
export async function removeTemporaries(dir: string): Promise<number> {
  const names = await readdir(dir, { recursive: true }).catch(() => [] as string[]);
  const stale = names.filter((n) => TEMP_NAME.test(basename(n)));
  for (const n of stale) await rm(join(dir, n), { force: true });
  return stale.length;
}

/** A one-line ReewatchError for a failed write of `path` (ReewatchErrors pass through). */
export function writeError(path: string, err: unknown): ReewatchError {
  if (err instanceof ReewatchError) return err;
  const e = err as NodeJS.ErrnoException;
  const dir = dirname(path);
  if (e.code === "ENOENT") return new ReewatchError(`${path}: cannot write: directory ${dir} does not exist (ENOENT)`);
  if (e.code === "ENOTDIR") return new ReewatchError(`${path}: cannot write: ${dir} is not a directory (ENOTDIR)`);
  if (e.code === "EACCES" || e.code === "EPERM" || e.code === "EROFS") return new ReewatchError(`${path}: cannot write in ${dir}: not writable (${e.code})`);
  if (e.code === "ENOSPC") return new ReewatchError(`${path}: cannot write: no space left on device (ENOSPC)`);
  return new ReewatchError(`${path}: cannot write (${(e.code ?? e.message ?? String(err)).replace(/\s+/g, " ")})`);
}

/** Throws a one-line ReewatchError about `path` unless `dir` is an existing writable directory. */
export async function checkWritableDir(dir: string, path: string): Promise<void> {
  try {
    const s = await stat(dir);
    if (!s.isDirectory()) throw Object.assign(new Error("not a directory"), { code: "ENOTDIR" });
    await access(dir, constants.W_OK);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === "ENOENT") throw new ReewatchError(`${path}: cannot write: directory ${dir} does not exist (ENOENT)`);
    if (e.code === "ENOTDIR") throw new ReewatchError(`${path}: cannot write: ${dir} is not a directory (ENOTDIR)`);
    throw new ReewatchError(`${path}: cannot write in ${dir}: not writable (${e.code ?? e.message})`);
  }
}

/** fsync of the directory holding `path`, so a rename survives a crash (best effort: some filesystems refuse). */
export async function fsyncDir(path: string): Promise<void> {
  const h = await open(dirname(path), "r").catch(() => null);
  if (!h) return;
  await h.sync().catch(() => {});
  await h.close();
}

/** Writes `data` to `path` atomically (temp name beside it, fsync, rename). */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const tmp = tempPathFor(path);
  try {
    const h = await open(tmp, "w");
    try {
      await h.writeFile(data);
      await h.sync();
    } finally {
      await h.close();
    }
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true }).catch(() => {});
    throw writeError(path, err);
  }
  await fsyncDir(path);
}
