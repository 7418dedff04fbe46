/**
 * Tile rendering off the main thread, when asked (REEWATCH_RENDER_THREADS): a piscina pool of worker threads,
 * each with its own open COGs and block caches (data-access.ts), so that uncached tiles use every
 * core while the main thread keeps answering HTTP. A failure crosses the thread boundary as a
 * status and a one-line message (an error's class does not survive structured cloning).
 */
import { Piscina } from "piscina";
import { cog } from "./data-access.ts";
import { HttpError, statusOf } from "./http-errors.ts";
import { encodeTile, renderTileRgba, type Style } from "./render.ts";

export interface TileTask {
  dir: string;
  rel: string;
  z: number;
  x: number;
  y: number;
  style: Style;
  size: number;
  format: "png" | "webp";
}

type TileResult = { bytes: Uint8Array } | { status: number; message: string };

/** Renders and encodes one tile (in a worker, or in this thread). */
export async function renderTileTask(t: TileTask): Promise<TileResult> {
  try {
    const bytes = await encodeTile(await renderTileRgba(await cog(t.dir, t.rel), t.z, t.x, t.y, t.style, t.size), t.format, t.size);
    return { bytes };
  } catch (e) {
    return statusOf(e);
  }
}

export interface TileRenderer {
  render(t: TileTask): Promise<Buffer>;
  close(): Promise<void>;
}

/** A renderer on `threads` worker threads, or on this thread when `threads` is 0. */
export function tileRenderer(threads: number): TileRenderer {
  const unwrap = (r: TileResult): Buffer => {
    if ("bytes" in r) return Buffer.from(r.bytes.buffer, r.bytes.byteOffset, r.bytes.byteLength);
    throw new HttpError(r.status, r.message);
  };
  if (threads <= 0) return { render: async (t) => unwrap(await renderTileTask(t)), close: async () => {} };
  const pool = new Piscina({
    filename: new URL("./tile-worker.mjs", import.meta.url).href,
    minThreads: 0,
    maxThreads: threads,
    idleTimeout: 30_000,
  });
  let closing = false;
  return {
    render: async (t) => {
      if (closing) throw new HttpError(503, "the server is shutting down");
      return unwrap((await pool.run(t)) as TileResult);
    },
    // Tiles being rendered finish first (destroying the pool would fail them).
    close: () => {
      closing = true;
      return pool.close();
    },
  };
}
