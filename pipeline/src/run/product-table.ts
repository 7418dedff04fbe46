/**
 * One writer for stage products (STYLE 17): a product is a row (name, title, type, no-data, bands)
 * and becomes `<dir>/<name>.tif` (a COG, one band per array, band descriptions as given) plus its
 * STAC asset. A new product is one more row.
 */
import { join } from "node:path";
import type { Grid } from "../raster.ts";
import { writeCog } from "../write/cog.ts";
import type { CogAsset } from "../write/stac.ts";
import { assetFor } from "./scene-item.ts";

export interface ProductRow {
  name: string;
  title: string;
  description?: string;
  range: [number, number];
  colormap: string;
  unit?: string;
  /**
   * Integer products: their type, no-data value and overview resampling (nearest unless said;
   * "mode" for class maps). Float32 products use NaN and averaged overviews.
   */
  integer?: { type: "int16" | "uint8"; nodata: number; overviews?: "nearest" | "mode" };
  bands: (Float32Array | Int16Array | Uint8Array)[];
  bandDescriptions: string[];
}

/** Writes every row as a COG in `dir` and returns the STAC assets by product name. */
export async function writeProducts(dir: string, grid: Grid, rows: ProductRow[], metadata: Record<string, string>): Promise<Record<string, CogAsset>> {
  const assets: Record<string, CogAsset> = {};
  for (const row of rows) {
    await writeCog(join(dir, `${row.name}.tif`), grid, row.bands, {
      metadata: { ...metadata, REEWATCH_PRODUCT: row.name, ...(row.description ? { REEWATCH_DEFINITION: row.description } : {}) },
      bandDescriptions: row.bandDescriptions,
      ...(row.integer ? { nodata: row.integer.nodata, overviewResampling: row.integer.overviews ?? "nearest" } : {}),
    });
    const dataType = row.integer?.type ?? "float32";
    const asset = await assetFor(
      dir,
      {
        name: row.name,
        title: row.title,
        range: row.range,
        colormap: row.colormap,
        dataType,
        ...(row.unit ? { unit: row.unit } : {}),
        ...(row.description ? { description: row.description } : {}),
      },
      undefined,
    );
    if (row.bands.length > 1 || row.integer)
      asset.extra = {
        "raster:bands": row.bandDescriptions.map((name) => ({
          name,
          data_type: dataType,
          nodata: row.integer ? row.integer.nodata : "nan",
          ...(row.unit ? { unit: row.unit } : {}),
        })),
      };
    assets[row.name] = asset;
  }
  return assets;
}
