/**
 * MapLibre maps that need nothing from the internet: a plain background style (no glyphs, no
 * sprites, no fonts), the site's own true-colour composite as the base (layers.ts), scale and zoom
 * controls. Rotation is off so that the two maps of the swipe stay aligned.
 */
import { addProtocol, Map as MlMap, NavigationControl, ScaleControl, setWorkerUrl } from "maplibre-gl";
import workerUrl from "maplibre-gl/dist/maplibre-gl-worker.mjs?worker&url";
import "maplibre-gl/dist/maplibre-gl.css";
import { Protocol } from "pmtiles";

// MapLibre runs its worker from a separate module: bundle it and say where it is.
setWorkerUrl(workerUrl);
// A static export's tiles are PMTiles archives, read with range requests (layers.ts).
addProtocol("pmtiles", new Protocol().tile);

export const BACKGROUND = "#1b2630";
const READY = new WeakMap<MlMap, Promise<void>>();

/** `interactive` false: a map that only follows another one (the swipe's right side). */
export function createMap(container: string, center: [number, number], zoom: number, interactive: boolean): MlMap {
  const controls = interactive;
  const map = new MlMap({
    container,
    interactive,
    style: { version: 8, sources: {}, layers: [{ id: "bg", type: "background", paint: { "background-color": BACKGROUND } }] },
    center,
    zoom,
    minZoom: 3,
    maxZoom: 18,
    dragRotate: false,
    pitchWithRotate: false,
    touchPitch: false,
    attributionControl: controls ? { compact: true } : false,
    canvasContextAttributes: { preserveDrawingBuffer: true },
    fadeDuration: 0,
  });
  READY.set(map, new Promise((ok) => map.once("load", () => ok())));
  map.touchZoomRotate.disableRotation();
  map.keyboard.disableRotation();
  if (controls) {
    map.addControl(new NavigationControl({ showCompass: false }), "top-right");
    map.addControl(new ScaleControl({ unit: "metric" }), "bottom-left");
  }
  // Missing tiles (outside a static export's zoom range) are expected: keep them out of the console.
  map.on("error", (e) => {
    const err = e.error as { status?: number; url?: string } | undefined;
    if (err?.status === 404 || (e as { tile?: unknown }).tile) return;
    console.error(e.error ?? e);
  });
  return map;
}

/** Keeps `follower` on the camera of `leader` (the swipe's second map has no own interaction). */
export function follow(leader: MlMap, follower: MlMap): void {
  const sync = () => follower.jumpTo({ center: leader.getCenter(), zoom: leader.getZoom(), bearing: 0, pitch: 0 });
  leader.on("move", sync);
  sync();
}

/** Resolves when the map has loaded its style. */
export function loaded(map: MlMap): Promise<void> {
  return READY.get(map) ?? Promise.resolve();
}
