/**
 * A clicked pixel's series without the server: in a static export (`reewatch tiles`) the viewer
 * reads the copied COGs under stac/<site>/ itself, one pixel per file through HTTP range requests
 * (geotiff.js reads the header and the one tile that holds the pixel), and answers in the server's
 * shape (docs/api.md, /api/<site>/point): composite value, fitted value and observations per date.
 */
import { fromUrl, type GeoTIFF } from "geotiff";
import proj4 from "proj4";
import type { StaticSite } from "../../common/api-types.ts";
import { sampleValue } from "../../common/sample-value.ts";
import type { PointSeries } from "./api.ts";
import { HttpFailure, url } from "./http.ts";

const files = new Map<string, Promise<GeoTIFF>>();

function open(site: StaticSite, rel: string): Promise<GeoTIFF> {
  const href = url(`stac/${site.key}/${rel}`);
  let f = files.get(href);
  if (!f) {
    f = fromUrl(href);
    files.set(href, f);
    f.catch(() => files.delete(href));
  }
  return f;
}

/** The pixel (column, row) under lon/lat on the site's grid, or null outside it. */
function pixelOf(site: StaticSite, lon: number, lat: number): [number, number] | null {
  const [x, y] = proj4(site.grid.proj4).forward([lon, lat]) as [number, number];
  const [a, b, c, d, e, f] = site.grid.toPixel;
  const col = Math.floor(a * x + b * y + c);
  const row = Math.floor(d * x + e * y + f);
  return col < 0 || row < 0 || col >= site.grid.width || row >= site.grid.height ? null : [col, row];
}

/** Every band of one pixel, scaled by the band's GDAL scale/offset, no-data and NaN as null, labelled by band description. */
async function pixelBands(site: StaticSite, rel: string, [col, row]: [number, number]): Promise<{ date: string; value: number | null }[]> {
  const image = await (await open(site, rel)).getImage();
  const nodata = image.getGDALNoData();
  const raw = (await image.readRasters({ window: [col, row, col + 1, row + 1] })) as ArrayLike<number>[];
  return Promise.all(
    Array.from(raw, async (band, i) => {
      const meta = ((await image.getGDALMetadata(i)) ?? {}) as Record<string, string>;
      return { date: meta.DESCRIPTION ?? "", value: sampleValue(band[0]!, nodata, Number(meta.SCALE ?? 1), Number(meta.OFFSET ?? 0)) };
    }),
  );
}

const firstValue = async (site: StaticSite, rel: string | undefined, px: [number, number]) =>
  rel ? ((await pixelBands(site, rel, px).catch(() => []))[0]?.value ?? null) : null;

export async function staticPoint(site: StaticSite, product: string, lon: number, lat: number): Promise<PointSeries> {
  const p = site.products.find((q) => q.key === product);
  if (!p) throw new HttpFailure(`product "${product}" is not in this export of ${site.key}`, 404);
  const px = pixelOf(site, lon, lat);
  if (!px) throw new HttpFailure(`point ${lon}, ${lat} is outside site ${site.key}`, 404);
  const series = await Promise.all(
    p.dates.map(async (date) => {
      const stack = site.runFiles.observations[date]?.[product];
      const [value, fitted, observations] = await Promise.all([
        firstValue(site, p.files[date]?.cog, px),
        product === site.changeIndex ? firstValue(site, site.runFiles.fitted[date], px) : null,
        stack ? pixelBands(site, stack, px).catch(() => []) : [],
      ]);
      return { date, value, fitted, observations };
    }),
  );
  return { lon, lat, product, simulated: site.simulated, series };
}
