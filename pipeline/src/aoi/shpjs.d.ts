// shpjs 6 ships no types: the part we call. Zips with one shapefile give one collection, several an array.
declare module "shpjs" {
  import type { FeatureCollection } from "geojson";

  export type ShapefileLayer = FeatureCollection & { fileName: string };
  export default function shp(input: ArrayBuffer | Uint8Array): Promise<ShapefileLayer | ShapefileLayer[]>;
}
