/**
 * One writer for stage products (STYLE 17): a product is a row (name, title, type, no-data, bands)
 * and becomes `<dir>/<name>.tif` (a COG, one band per array, band descriptions as given) plus its
 * STAC asset. A new product is one more row.
 */
import { join } from "node:path";
import type { Grid } from "../raster.ts";
import { CogWriter, cogDataTypeOf, Inflight } from "../write/cog.ts";
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
  const w = await ProductWriters.open(dir, grid, rows, metadata);
  try {
    await w.add(0, rows);
  } catch (err) {
    await w.abort();
    throw err;
  }
  return w.finish();
}

/**
 * The rows' COGs written strip by strip: opened from the first strip's rows (names, types, band
 * counts), then fed every strip's rows in row order, each row's arrays a strip of its product.
 */
export class ProductWriters {
  private constructor(
    private readonly dir: string,
    private readonly rows: ProductRow[],
    private readonly writers: CogWriter[],
  ) {}

  static async open(dir: string, grid: Grid, rows: ProductRow[], metadata: Record<string, string>): Promise<ProductWriters> {
    const inflight = new Inflight();
    const writers: CogWriter[] = [];
    try {
      for (const row of rows) {
        const opts = {
          metadata: { ...metadata, REEWATCH_PRODUCT: row.name, ...(row.description ? { REEWATCH_DEFINITION: row.description } : {}) },
          bandDescriptions: row.bandDescriptions,
          ...(row.integer ? { nodata: row.integer.nodata, overviewResampling: row.integer.overviews ?? "nearest" } : {}),
          inflight,
        };
        writers.push(await CogWriter.create(join(dir, `${row.name}.tif`), grid, cogDataTypeOf(row.bands[0]!), row.bands.length, opts));
      }
    } catch (err) {
      for (const w of writers) await w.abort();
      throw err;
    }
    return new ProductWriters(dir, rows, writers);
  }

  /** The strip starting at row y0: the same rows, in the same order, as `open` was given. */
  async add(y0: number, rows: ProductRow[]): Promise<void> {
    for (const [k, row] of rows.entries()) await this.writers[k]!.writeRows(y0, row.bands);
  }

  async finish(): Promise<Record<string, CogAsset>> {
    const assets: Record<string, CogAsset> = {};
    for (const [k, row] of this.rows.entries()) {
      await this.writers[k]!.finish();
      assets[row.name] = await productAsset(this.dir, row);
    }
    return assets;
  }

  async abort(): Promise<void> {
    for (const w of this.writers) await w.abort();
  }
}

async function productAsset(dir: string, row: ProductRow): Promise<CogAsset> {
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
  return asset;
}
