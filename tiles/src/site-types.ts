/** The site description the server sends and the viewer reads (docs/api.md): one definition for both. */
export interface ProductInfo {
  key: string;
  label: { en: string; zh: string };
  unit: string;
  kind: "continuous" | "categorical" | "rgb";
  range: [number, number];
  colormap: string;
  dates: string[];
}

export interface ClaimSummary {
  id: string;
  text: string;
  verdict: string;
  measured: { value: number | null; ci95: [number | null, number | null]; unit: string };
  report: string;
}

export interface PublicSite {
  key: string;
  name: { en: string; zh: string };
  simulated: boolean;
  bbox: [number, number, number, number];
  center: [number, number];
  zoom: number;
  dates: string[];
  products: ProductInfo[];
  zones: { type: "FeatureCollection"; features: unknown[] };
  claims: ClaimSummary[];
  changeIndex: string;
  /** Season window of the annual composites ("MM-DD"), for placing them on a time axis; absent for pairs. */
  season?: { start: string; end: string };
  provenance: { software: string; run: string };
}
