/**
 * One scene's indices on several cores: the window is cut into side-by-side columns, each worked
 * top to bottom by a worker thread with its own reader (readStrip and stripIndex, as in one thread), and the
 * strips come back in order, each column's part posted as soon as it is done. This thread
 * stitches the parts of a strip into whole rows, in row order, for the statistics and the COG
 * writers, which therefore see exactly what they see in one thread. Column edges fall on
 * multiples of 1024 pixels, so the 10 m bands' 512-pixel tiles and the 20 m bands' (1024 pixels
 * at 10 m) are each decoded by one worker only.
 */
import type { MessagePort } from "node:worker_threads";
import type { Aoi } from "../aoi/aoi.ts";
import { strips } from "../grid.ts";
import { diDef, type TcStats } from "../indices/disturbance-index.ts";
import { indexByName } from "../indices/table.ts";
import { maskRuleFor } from "../mask/rule.ts";
import { type Pool, runInWorker } from "../parallel/pool.ts";
import type { Window } from "../raster.ts";
import { openScene } from "../read/open-scene.ts";
import { readStrip, type StripValues, stripIndex } from "./scene-strip.ts";

/** A column: x offset within the window and width. */
export interface Column {
  x: number;
  width: number;
}

export interface ColumnTask {
  scenePath: string;
  nir?: "B08" | "B8A";
  /** The table's indices by name, then the DI with its reference when wanted. */
  indices: string[];
  di?: TcStats;
  mask: string;
  aoi?: Aoi;
  win: Window;
  column: Column;
  rows: number;
}

/** A column's part of a strip, as posted: every index computed (its buffers move to this thread). */
interface StripPart {
  y: number;
  values: Float32Array[];
  mask: Uint8Array;
  inAoi: number;
  valid: number;
}

/** Strips a column worker may have posted and not yet seen acknowledged: bounds memory when this thread lags. */
const MAX_UNACKED = 2;
const ALIGN = 1024;

/** Up to `parts` columns with edges on multiples of 1024 absolute pixels; fewer when the window is narrow. */
export function columnsOf(win: Window, parts: number): Column[] {
  const edges = [0];
  for (let j = 1; j < parts; j++) {
    const abs = Math.round((win.x + (win.width * j) / parts) / ALIGN) * ALIGN - win.x;
    if (abs > edges.at(-1)! && abs < win.width) edges.push(abs);
  }
  edges.push(win.width);
  return edges.slice(1).map((e, k) => ({ x: edges[k]!, width: e - edges[k]! }));
}

/** The worker side: a column's strips, top to bottom, each posted (its buffers moved, not copied) when done. */
export async function columnStrips(t: ColumnTask, port: MessagePort): Promise<void> {
  const scene = await openScene(t.scenePath, t.nir ? { nir: t.nir } : {});
  let credits = MAX_UNACKED;
  let wake: (() => void) | null = null;
  port.on("message", () => {
    credits++;
    wake?.();
  });
  try {
    const defs = [...t.indices.map(indexByName), ...(t.di ? [diDef(t.di)] : [])];
    const spec = { defs, rule: scene.qa ? maskRuleFor(scene.qa.kind, t.mask) : undefined, mask: t.mask, ...(t.aoi ? { aoi: t.aoi } : {}) };
    const columnWindow = { x: t.win.x + t.column.x, y: t.win.y, width: t.column.width, height: t.win.height };
    for (const strip of strips(columnWindow, t.rows)) {
      while (credits <= 0) await new Promise<void>((r) => (wake = r));
      credits--;
      const y = strip.y - t.win.y;
      const s = await readStrip(scene, spec, strip);
      const values = defs.map((_, k) => stripIndex(scene, spec, s, k, new Float32Array(strip.width * strip.height)));
      const part: StripPart = { y, values, mask: s.mask, inAoi: s.inAoi, valid: s.valid };
      port.postMessage(part, [...part.values.map((v) => v.buffer as ArrayBuffer), part.mask.buffer as ArrayBuffer]);
    }
    // the task ends (and its port closes) only once every part has been taken: none is lost in flight
    while (credits < MAX_UNACKED) await new Promise<void>((r) => (wake = r));
  } finally {
    await scene.close();
  }
}

/** This thread's side: runs one task per column and hands each whole strip, in order, to `consume`. */
export async function stripsByColumns(
  pool: Pool,
  task: Omit<ColumnTask, "column">,
  columns: Column[],
  consume: (y: number, s: StripValues) => Promise<void>,
): Promise<void> {
  const { win } = task;
  const parts = new Map<number, (StripPart & { ack: () => void })[]>();
  const shared = new Float32Array(task.rows * win.width);
  let next = 0;
  let chain = Promise.resolve();
  let failure: unknown = null;
  // after a failure, parts are acknowledged unused, so no worker waits for this thread forever
  const giveUp = (e: unknown) => {
    failure ??= e;
    for (const list of parts.values()) for (const p of list) p?.ack();
    parts.clear();
  };
  // whole strips are consumed one at a time, in row order; their parts are acknowledged once used
  const complete = (y: number) => (parts.get(y) ?? []).filter(Boolean).length === columns.length;
  const drain = async () => {
    while (complete(next)) {
      const ps = parts.get(next)!;
      parts.delete(next);
      try {
        if (failure === null) await consume(next, stitch(ps, columns, win.width, shared));
      } catch (e) {
        giveUp(e);
      }
      for (const p of ps) p.ack();
      next += task.rows;
    }
  };
  const onPart = (k: number) => (m: StripPart, reply: (r: unknown) => void) => {
    if (failure !== null) return reply("ack");
    const list = parts.get(m.y) ?? parts.set(m.y, []).get(m.y)!;
    list[k] = { ...m, ack: () => reply("ack") };
    if (complete(m.y)) chain = chain.then(drain);
  };
  const module = new URL(import.meta.url);
  const runs = columns.map((column, k) => runInWorker<void, StripPart>(pool, module, "columnStrips", { ...task, column }, onPart(k)).catch(giveUp));
  await Promise.all(runs);
  await chain;
  if (failure !== null) throw failure;
}

/** The parts of one strip side by side: whole rows of the window, one index at a time into `shared`. */
function stitch(ps: StripPart[], columns: Column[], width: number, shared: Float32Array): StripValues {
  const h = ps[0]!.mask.length / columns[0]!.width;
  const whole = <A extends Float32Array | Uint8Array>(pick: (p: StripPart) => A, out: A): A => {
    ps.forEach((p, k) => {
      const { x, width: w } = columns[k]!;
      const src = pick(p);
      for (let r = 0; r < h; r++) out.set(src.subarray(r * w, (r + 1) * w), r * width + x);
    });
    return out;
  };
  const out = shared.subarray(0, width * h);
  return {
    value: (d) => whole((p) => p.values[d]!, out),
    mask: whole((p) => p.mask, new Uint8Array(width * h)),
    inAoi: ps.reduce((s, p) => s + p.inAoi, 0),
    valid: ps.reduce((s, p) => s + p.valid, 0),
  };
}
