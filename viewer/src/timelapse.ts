/**
 * Timelapse export: the year slider played over the current view and saved as an animated GIF,
 * each frame the map as drawn with the date, the layer and the site burnt in, and for simulated
 * sites the SIMULATED stamp, so a shared GIF cannot be taken for observations. Earth Engine and
 * EO Browser users share change this way. GIF rather than WebM: frames are taken when the map has
 * drawn, not in real time, and every browser and chat app plays a GIF.
 */
import { applyPalette, GIFEncoder, quantize } from "gifenc";
import type { Map as MlMap } from "maplibre-gl";

export interface TimelapseSpec {
  map: MlMap;
  dates: string[];
  /** Shows a date on the map (the year slider's own action). */
  show: (date: string) => void;
  /** Layer and site, under the date. */
  caption: string;
  simulated: boolean;
  attribution: string;
  progress: (done: number, total: number) => void;
}

const FRAME_MS = 1000;
const MAX_WIDTH = 960;
const STAMP = "SIMULATED DATA · 模拟数据 — not satellite observations";

/** Resolves once the map has drawn everything it asked for, twice: the replaced layers are gone by the second. */
async function settled(map: MlMap): Promise<void> {
  for (let i = 0; i < 2; i++)
    await new Promise<void>((ok) => {
      map.once("idle", () => ok());
      map.triggerRepaint();
    });
}

/** Draws a line of white text on a dark box whose left edge is at `x` (or, with `fromRight`, whose right edge is). */
function label(ctx: CanvasRenderingContext2D, text: string, x: number, y: number, size: number, fromRight = false): void {
  ctx.font = `bold ${size}px sans-serif`;
  const pad = Math.round(size * 0.35);
  const w = ctx.measureText(text).width + 2 * pad;
  const left = fromRight ? x - w : x;
  ctx.fillStyle = "rgba(0,0,0,0.72)";
  ctx.fillRect(left, y, w, size + 2 * pad);
  ctx.fillStyle = "#fff";
  ctx.textBaseline = "top";
  ctx.fillText(text, left + pad, y + pad);
}

/** One frame: the map scaled to at most MAX_WIDTH, with the stamp on top and date, caption and attribution below. */
export function composeFrame(map: HTMLCanvasElement, date: string, s: Pick<TimelapseSpec, "caption" | "simulated" | "attribution">): ImageData {
  const width = Math.min(MAX_WIDTH, map.width);
  const height = Math.round((map.height * width) / map.width);
  const ctx = document.createElement("canvas").getContext("2d", { willReadFrequently: true })!;
  ctx.canvas.width = width;
  ctx.canvas.height = height;
  ctx.drawImage(map, 0, 0, width, height);
  const unit = Math.max(10, Math.round(width / 48));
  if (s.simulated) {
    ctx.fillStyle = "#ffd600";
    ctx.fillRect(0, 0, width, Math.round(unit * 1.8));
    ctx.fillStyle = "#000";
    ctx.font = `bold ${unit}px sans-serif`;
    ctx.textBaseline = "middle";
    ctx.fillText(STAMP, unit * 0.5, unit * 0.9);
  }
  const captionTop = height - unit * 3.4;
  const dateHeight = Math.round(unit * 2.6);
  label(ctx, date, unit * 0.5, captionTop - dateHeight * 1.35, dateHeight);
  label(ctx, s.caption, unit * 0.5, captionTop, Math.round(unit * 0.9));
  label(ctx, `reewatch · ${s.attribution}`, width - unit * 0.5, height - unit * 1.6, Math.round(unit * 0.7), true);
  return ctx.getImageData(0, 0, width, height);
}

/** Shows each date, waits for the map to draw it, and encodes the frames (one palette each) as a looping GIF. */
export async function recordTimelapse(s: TimelapseSpec): Promise<Blob> {
  const gif = GIFEncoder();
  for (const [i, date] of s.dates.entries()) {
    s.show(date);
    await settled(s.map);
    const frame = composeFrame(s.map.getCanvas(), date, s);
    const palette = quantize(frame.data, 256);
    gif.writeFrame(applyPalette(frame.data, palette), frame.width, frame.height, { palette, delay: FRAME_MS });
    s.progress(i + 1, s.dates.length);
  }
  gif.finish();
  return new Blob([gif.bytes()], { type: "image/gif" });
}
