/**
 * The STAC item of a SIMULATED scene, shaped like an Earth Search `sentinel-2-l2a` item (asset
 * keys blue, green, red, nir, nir08, swir16, swir22, scl with hrefs relative to the item; eo,
 * projection, raster and view fields; `s2:` scene statistics from the SCL) so the same readers
 * take real and simulated scenes. It says SIMULATED in its title, description, asset titles and
 * `reewatch:simulated`.
 */
import type { Grid } from "../raster.ts";
import { COG_MEDIA_TYPE, footprint, STAC_VERSION } from "../write/stac.ts";
import { baselineOffsetDn, QUANTIFICATION } from "./encode.ts";
import type { SceneSpec } from "./schedule.ts";
import { SCL } from "./scl.ts";

export interface AssetFile {
  key: string;
  band: string;
  title: string;
  grid: Grid;
  checksumHex: string;
  size: number;
  eo?: { common_name: string; center_wavelength: number; full_width_half_max: number };
}

export interface ItemInput {
  spec: SceneSpec;
  site: { key: string; name: string };
  datetime: string;
  sun: { elevation: number; azimuth: number };
  scl: Uint8Array;
  assets: AssetFile[];
  /** Parameters that made the scene; a rerun with the same ones skips it. */
  simulation: Record<string, unknown>;
  software: string;
}

/** Wavelengths (micrometres) of the Sentinel-2A MSI bands, as Earth Search lists them. */
export const S2_BANDS_EO: Record<string, AssetFile["eo"]> = {
  B02: { common_name: "blue", center_wavelength: 0.49, full_width_half_max: 0.098 },
  B03: { common_name: "green", center_wavelength: 0.56, full_width_half_max: 0.045 },
  B04: { common_name: "red", center_wavelength: 0.665, full_width_half_max: 0.038 },
  B08: { common_name: "nir", center_wavelength: 0.842, full_width_half_max: 0.145 },
  B8A: { common_name: "nir08", center_wavelength: 0.865, full_width_half_max: 0.033 },
  B11: { common_name: "swir16", center_wavelength: 1.61, full_width_half_max: 0.143 },
  B12: { common_name: "swir22", center_wavelength: 2.19, full_width_half_max: 0.242 },
};

function asset(a: AssetFile, offsetDn: number): Record<string, unknown> {
  const isScl = a.band === "SCL";
  return {
    href: `./${a.band}.tif`,
    type: COG_MEDIA_TYPE,
    title: `SIMULATED ${a.title}`,
    roles: isScl ? ["data"] : ["data", "reflectance"],
    "file:checksum": `1220${a.checksumHex}`,
    "file:size": a.size,
    "proj:shape": [a.grid.height, a.grid.width],
    "proj:transform": [...a.grid.transform],
    ...(a.eo ? { "eo:bands": [{ name: a.band, ...a.eo }] } : {}),
    "raster:bands": [
      isScl
        ? { nodata: 0, data_type: "uint8", spatial_resolution: a.grid.transform[0] }
        : {
            nodata: 0,
            data_type: "uint16",
            bits_per_sample: 15,
            spatial_resolution: a.grid.transform[0],
            scale: 1 / QUANTIFICATION,
            offset: -offsetDn / QUANTIFICATION,
          },
    ],
  };
}

/** Percentages of the scene's SCL classes, as the `s2:` statistics of real items. */
export function sclStatistics(scl: Uint8Array): Record<string, number> {
  const count = new Array<number>(12).fill(0);
  for (const c of scl) count[c]!++;
  const data = scl.length - count[SCL.nodata]!;
  const pct = (n: number) => (data ? Math.round((n / data) * 1e6) / 1e4 : 0);
  return {
    "eo:cloud_cover": pct(count[SCL.cloudMedium]! + count[SCL.cloudHigh]! + count[SCL.cirrus]!),
    "s2:nodata_pixel_percentage": Math.round((count[SCL.nodata]! / scl.length) * 1e6) / 1e4,
    "s2:high_proba_clouds_percentage": pct(count[SCL.cloudHigh]!),
    "s2:medium_proba_clouds_percentage": pct(count[SCL.cloudMedium]!),
    "s2:thin_cirrus_percentage": pct(count[SCL.cirrus]!),
    "s2:cloud_shadow_percentage": pct(count[SCL.shadow]!),
    "s2:snow_ice_percentage": pct(count[SCL.snow]!),
    "s2:water_percentage": pct(count[SCL.water]!),
    "s2:vegetation_percentage": pct(count[SCL.vegetation]!),
    "s2:not_vegetated_percentage": pct(count[SCL.bare]!),
  };
}

export function sceneItem(i: ItemInput): Record<string, unknown> {
  const fine = i.assets[0]!.grid;
  const { geometry, bbox } = footprint(fine);
  const offsetDn = baselineOffsetDn(i.spec.processingBaseline);
  return {
    type: "Feature",
    stac_version: STAC_VERSION,
    stac_extensions: [
      "https://stac-extensions.github.io/eo/v1.1.0/schema.json",
      "https://stac-extensions.github.io/projection/v2.0.0/schema.json",
      "https://stac-extensions.github.io/raster/v1.1.0/schema.json",
      "https://stac-extensions.github.io/file/v2.1.0/schema.json",
      "https://stac-extensions.github.io/view/v1.0.0/schema.json",
      "https://stac-extensions.github.io/processing/v1.2.0/schema.json",
    ],
    id: i.spec.id,
    geometry,
    bbox,
    properties: {
      title: `SIMULATED Sentinel-2 L2A-like scene, ${i.site.name}, ${i.spec.date}`,
      description:
        "SIMULATED by reewatch simulate: a linear spectral mixture model with planted mining, abandonment and restoration, clouds, shadows, cirrus and snow. Not a satellite observation.",
      datetime: i.datetime,
      platform: "sentinel-2a",
      constellation: "sentinel-2",
      instruments: ["msi"],
      "s2:product_type": "S2MSI2A",
      "s2:processing_baseline": i.spec.processingBaseline,
      "earthsearch:boa_offset_applied": false,
      ...sclStatistics(i.scl),
      "proj:code": fine.crs,
      // The 10 m-band grid (the site grid); each asset carries its own shape and transform.
      "proj:shape": [fine.height, fine.width],
      "proj:transform": [...fine.transform],
      "view:sun_elevation": Math.round(i.sun.elevation * 100) / 100,
      "view:sun_azimuth": Math.round(i.sun.azimuth * 100) / 100,
      "processing:software": { reewatch: i.software },
      "reewatch:simulated": true,
      "reewatch:site": i.site.key,
      "reewatch:simulation": i.simulation,
    },
    links: [{ rel: "related", href: "../truth/truth-item.json", type: "application/geo+json", title: "SIMULATED planted truth of this stack" }],
    assets: Object.fromEntries(i.assets.map((a) => [a.key, asset(a, offsetDn)])),
  };
}
