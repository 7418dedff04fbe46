/**
 * A multiband Landsat GeoTIFF whose band descriptions name the bands ("SR_B5 (nir08)", "ST_B10"),
 * with the product id in the file name ("LC08_L2SP_218074_20190114_..._stack.tif") giving sensor,
 * date and processing level.
 */
import { basename } from "node:path";
import { MissingBand, UnsupportedFormat } from "../errors.ts";
import type { BandLetter } from "../raster.ts";
import { landsatBandNames, landsatRadiometry, parseLandsatId } from "../sensors/landsat.ts";
import type { BandSource } from "./band-source.ts";
import { openGeoTiff } from "./geotiff.ts";
import type { BandInfo, OpenSceneOptions, SceneReader } from "./scene.ts";
import { sceneReader } from "./scene-reader.ts";

export async function openLandsatStack(path: string, opts: OpenSceneOptions): Promise<SceneReader> {
  const parsed = parseLandsatId(basename(path));
  if (!parsed) throw new UnsupportedFormat(`${path}: unknown sensor (the file name holds no Landsat product id such as LC08_L2SP_...)`);
  const tiff = await openGeoTiff(path);
  try {
    const grid = tiff.grid;
    if (!grid) throw new UnsupportedFormat(`${path}: the stack carries no georeferencing`);
    const names = landsatBandNames(parsed.sensor);
    const bands: Partial<Record<BandLetter, BandSource>> = {};
    const infos: Partial<Record<BandLetter, BandInfo>> = {};
    for (const letter of Object.keys(names) as BandLetter[]) {
      const i = tiff.descriptions.findIndex((d) => d.split(/\s/)[0]?.toUpperCase() === names[letter]);
      if (i < 0) {
        if (letter === "T") continue;
        throw new MissingBand(`${path}: no band described as ${names[letter]} (${letter}); descriptions: ${tiff.descriptions.join(", ") || "none"}`);
      }
      const rs = landsatRadiometry(path, names[letter], { level: parsed.level, gdal: { scale: tiff.scales[i]!, offset: tiff.offsets[i]! } });
      const declared = tiff.scales[i] !== 1 || tiff.offsets[i] !== 0;
      const differs = declared && (Math.abs(tiff.scales[i]! - rs.scale) > 1e-12 || Math.abs(tiff.offsets[i]! - rs.offset) > 1e-9);
      bands[letter] = { tiff, band: i, grid };
      infos[letter] = {
        letter,
        name: names[letter],
        href: `${path}#b=${i + 1}`,
        scale: rs.scale,
        offset: rs.offset,
        nodata: tiff.nodata ?? 0,
        grid,
        scaleSource: differs ? `${rs.source}; the file declares scale ${tiff.scales[i]} offset ${tiff.offsets[i]}` : rs.source,
      };
    }
    return sceneReader({
      info: {
        id: parsed.id,
        sensor: parsed.sensor,
        datetime: `${parsed.date}T00:00:00Z`,
        grid: opts.grid ?? grid,
        bands: infos,
        nirBand: names.N,
        simulated: false,
        inputs: [path],
        metadata: { productId: parsed.id, processingLevel: parsed.level, source: "multiband stack", ...tiff.metadata },
      },
      bands,
      files: [tiff],
    });
  } catch (err) {
    await tiff.close();
    throw err;
  }
}
