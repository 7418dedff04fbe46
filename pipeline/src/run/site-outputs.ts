/** Stage writers of a site run: change COGs and their item, zonal tables, the run catalog. */
import { mkdir, readdir } from "node:fs/promises";
import { join } from "node:path";
import { parseAoi, projectAoi, rasterizeRings } from "../aoi/aoi.ts";
import type { Grid } from "../raster.ts";
import { mappedZones, type Site } from "../site/site.ts";
import { SOFTWARE_VERSION } from "../version.ts";
import { writeFileAtomic } from "../write/atomic.ts";
import { writeCog } from "../write/cog.ts";
import { type CogAsset, footprint, stacCatalog, stacCollection, stacItem } from "../write/stac.ts";
import { classAreasKm2, zoneStats } from "../zonal/zonal.ts";
import { assetFor, type ProductMeta } from "./scene-item.ts";
import { CHANGE_RULES, type ChangeResult, CLASS_NAMES } from "./site-change.ts";
import type { YearComposite } from "./site-composites.ts";

export async function writeChange(site: Site, grid: Grid, c: ChangeResult, outDir: string, simulated: boolean): Promise<void> {
  const dir = join(outDir, "change");
  await mkdir(dir, { recursive: true });
  const meta = {
    metadata: {
      REEWATCH_SITE: site.key,
      REEWATCH_RULES: CHANGE_RULES.text,
      ...(simulated ? { SIMULATED: "true" } : {}),
    },
  };
  const [y0, y1] = [c.years[0]!, c.years.at(-1)!];
  const products: [ProductMeta, Float32Array | Int16Array | Uint8Array][] = [
    [
      {
        name: "disturbance_year",
        title: "Year of greatest disturbance",
        range: [y0, y1],
        colormap: "years",
        dataType: "int16",
        unit: "year",
      },
      c.disturbanceYear,
    ],
    [
      {
        name: "magnitude",
        title: "Disturbance magnitude (loss of NBR)",
        range: [0, 1],
        colormap: "magnitude",
      },
      c.magnitude,
    ],
    [
      {
        name: "duration",
        title: "Disturbance duration",
        range: [0, 5],
        colormap: "viridis",
        dataType: "int16",
        unit: "years",
      },
      c.duration,
    ],
    [{ name: "pre_value", title: "Pre-disturbance NBR", range: [-0.2, 0.8], colormap: "ndvi" }, c.preValue],
    [
      {
        name: "recovery_rate",
        title: "Recovery rate (NBR per year)",
        range: [0, 0.2],
        colormap: "viridis",
        unit: "1/yr",
      },
      c.recoveryRate,
    ],
    [{ name: "rmse", title: "Segmentation RMSE", range: [0, 0.1], colormap: "viridis" }, c.rmse],
    [
      {
        name: "ts_slope",
        title: "Theil-Sen slope of NDVI",
        range: [-0.05, 0.05],
        colormap: "change",
        unit: "1/yr",
      },
      c.slope,
    ],
    [{ name: "mk_p", title: "Mann-Kendall p-value of NDVI", range: [0, 1], colormap: "viridis" }, c.mkP],
    [{ name: "r80p", title: "R80P: NDVI(r+t) / (0.8 x recovery target)", range: [0, 1.5], colormap: "recovery" }, c.r80p],
    [{ name: "rri", title: "RRI: (max NDVI(r+t-1..r+t) - NDVI(r)) / (NDVI(d) - NDVI(r))", range: [0, 1.2], colormap: "recovery" }, c.rri],
    [{ name: "dir", title: "dIR: NDVI(r+t) - NDVI(r), regrowth positive", range: [-0.3, 0.5], colormap: "change" }, c.dir],
    [
      {
        name: "timestep",
        title: "t: years between restoration start and the metrics' end year",
        range: [0, 5],
        colormap: "viridis",
        dataType: "int16",
        unit: "years",
      },
      c.timestep,
    ],
    [
      {
        name: "yryr",
        title: "YrYr: NDVI gain per year after disturbance",
        range: [0, 0.15],
        colormap: "viridis",
        unit: "1/yr",
      },
      c.yryr,
    ],
    [
      {
        name: "y2r",
        title: "Y2R: years after restoration start until NDVI reaches 80 % of the target (-9999 never)",
        range: [0, 8],
        colormap: "viridis",
        dataType: "int16",
        unit: "years",
      },
      c.y2r,
    ],
  ];
  for (const [k, y] of c.years.entries())
    products.push([
      {
        name: `class_${y}`,
        title: `Change class ${y}`,
        range: [0, 4],
        colormap: "classes",
        dataType: "uint8",
      },
      c.classes[k]!,
    ]);
  for (const [k, y] of c.years.entries())
    products.push([
      {
        name: `fitted_${y}`,
        title: `Segmentation fit of ${site.changeIndex.toUpperCase()} ${y}`,
        range: [-0.5, 0.9],
        colormap: "ndvi",
      },
      c.fitted[k]!,
    ]);
  const assets: Record<string, CogAsset> = {};
  for (const [m, data] of products) {
    const ints = !(data instanceof Float32Array);
    await writeCog(join(dir, `${m.name}.tif`), grid, [data], {
      ...meta,
      bandDescriptions: [m.title ?? m.name],
      ...(ints
        ? {
            nodata: m.name === "y2r" ? -32768 : 0,
            overviewResampling: m.name.startsWith("class_") ? "mode" : "nearest",
          }
        : {}),
    });
    assets[m.name] = await assetFor(dir, m, undefined);
  }
  const item = stacItem({
    id: `${site.key}-change`,
    grid,
    start: `${y0}-01-01T00:00:00Z`,
    end: `${y1}-12-31T23:59:59Z`,
    title: `${simulated ? "SIMULATED " : ""}${site.name.en} change and recovery ${y0}-${y1}`,
    assets,
    software: SOFTWARE_VERSION,
    properties: {
      "reewatch:site": site.key,
      "reewatch:simulated": simulated,
      "reewatch:rules": CHANGE_RULES.text,
      "reewatch:bare_ndvi": c.bareNdvi,
      "reewatch:classes": CLASS_NAMES,
      "reewatch:segmentation": "LandTrendr (Kennedy et al. 2010), parameters of docs/science.md, compositing and time series",
      "reewatch:recovery_target": c.recoveryTarget,
      "reewatch:sign_conventions": "magnitude = pre - post (loss positive, as dNBR); dIR = later - earlier (regrowth positive)",
    },
  });
  await writeFileAtomic(join(dir, "change.json"), `${JSON.stringify(item, null, 1)}\n`);
}

export interface ZoneMask {
  name: string;
  kind: string;
  mask: Uint8Array;
}

export function zoneMasks(site: Site, grid: Grid, aoi: Uint8Array): ZoneMask[] {
  const all = { x: 0, y: 0, width: grid.width, height: grid.height };
  const raster = (g: unknown) => rasterizeRings(projectAoi(parseAoi(g), grid.crs), grid, all);
  return [
    { name: "AOI", kind: "aoi", mask: aoi },
    ...mappedZones(site).map((z) => ({ name: z.name, kind: z.kind, mask: raster(z.geometry) })),
    ...site.controls.map((z) => ({ name: z.name, kind: "control", mask: raster(z.geometry) })),
  ];
}

/** Zonal statistics per zone and year: NDVI and the change index, and class areas in km2. */
export async function writeZonal(
  site: Site,
  grid: Grid,
  comps: YearComposite[],
  c: ChangeResult | null,
  zones: ZoneMask[],
  outDir: string,
): Promise<Record<string, unknown>[]> {
  const pxArea = Math.abs(grid.transform[0] * grid.transform[4]);
  const rows: Record<string, unknown>[] = [];
  for (const z of zones)
    comps.forEach((comp, k) => {
      for (const idx of ["ndvi", site.changeIndex]) {
        const s = zoneStats(comp.index[idx]!, z.mask);
        rows.push({
          zone: z.name,
          kind: z.kind,
          year: comp.year,
          index: idx,
          ...s,
          ...(c && idx === "ndvi" ? classAreasKm2(c.classes[k]!, z.mask, pxArea, CLASS_NAMES) : {}),
        });
      }
    });
  // Recovery metrics per zone: statistics over the zone's disturbed pixels (last year's state).
  if (c)
    for (const z of zones)
      for (const [name, values] of [
        ["r80p", c.r80p],
        ["rri", c.rri],
        ["yryr", c.yryr],
        ["magnitude", c.magnitude],
      ] as const) {
        const disturbedInZone = Uint8Array.from(z.mask, (m, i) => (m && c.disturbanceYear[i]! > 0 ? 1 : 0));
        rows.push({ zone: z.name, kind: z.kind, year: c.years.at(-1), index: name, ...zoneStats(values, disturbedInZone) });
      }
  const dir = join(outDir, "zonal");
  await mkdir(dir, { recursive: true });
  await writeFileAtomic(join(dir, "zonal.json"), `${JSON.stringify(rows, null, 1)}\n`);
  const cols = ["zone", "kind", "year", "index", "mean", "p10", "p50", "p90", "count", "validFraction", "stable", "disturbed", "recovering", "restored"];
  const csv = [cols.join(","), ...rows.map((r) => cols.map((k) => (r[k] === undefined || r[k] === null ? "" : JSON.stringify(r[k]))).join(","))].join("\n");
  await writeFileAtomic(join(dir, "zonal.csv"), `${csv}\n`);
  return rows;
}

/** catalog.json -> composites/ and change/ collections -> items. */
export async function writeRunCatalog(site: Site, grid: Grid, outDir: string, simulated: boolean): Promise<void> {
  const { bbox } = footprint(grid);
  const years = (await readdir(join(outDir, "composites"))).filter((d) => /^\d{4}(-\d\d-\d\d)?$/.test(d)).sort();
  const compItems = years.map((y) => `./${y}/${y}.json`);
  await writeFileAtomic(
    join(outDir, "composites", "collection.json"),
    `${JSON.stringify(stacCollection({ id: `${site.key}-composites`, description: `${simulated ? "SIMULATED " : ""}annual composites of ${site.name.en}`, bbox, interval: [`${years[0]}-01-01T00:00:00Z`, `${years.at(-1)}-12-31T23:59:59Z`], itemHrefs: compItems, extra: { "reewatch:simulated": simulated } }), null, 1)}\n`,
  );
  const children = ["./composites/collection.json"];
  const obsYears = (await readdir(join(outDir, "observations")).catch(() => [] as string[])).filter((d) => /^\d{4}$/.test(d)).sort();
  if (obsYears.length) {
    const collection = stacCollection({
      id: `${site.key}-observations`,
      description: `${simulated ? "SIMULATED " : ""}index values of every scene of ${site.name.en}, one band per scene`,
      bbox,
      interval: [`${obsYears[0]}-01-01T00:00:00Z`, `${obsYears.at(-1)}-12-31T23:59:59Z`],
      itemHrefs: obsYears.map((y) => `./${y}/${y}.json`),
      extra: { "reewatch:simulated": simulated },
    });
    await writeFileAtomic(join(outDir, "observations", "collection.json"), `${JSON.stringify(collection, null, 1)}\n`);
    children.push("./observations/collection.json");
  }
  const hasChange = await readdir(join(outDir, "change")).then(
    () => true,
    () => false,
  );
  if (hasChange) {
    await writeFileAtomic(
      join(outDir, "change", "collection.json"),
      `${JSON.stringify(stacCollection({ id: `${site.key}-change`, description: `${simulated ? "SIMULATED " : ""}change and recovery of ${site.name.en}`, bbox, interval: [`${years[0]}-01-01T00:00:00Z`, `${years.at(-1)}-12-31T23:59:59Z`], itemHrefs: ["./change.json"], extra: { "reewatch:simulated": simulated } }), null, 1)}\n`,
    );
    children.push("./change/collection.json");
  }
  const cat = stacCatalog({
    id: `reewatch-${site.key}`,
    description: `${simulated ? "SIMULATED " : ""}reewatch run for ${site.name.en}`,
    children,
    extra: { "reewatch:site": site.key, "reewatch:simulated": simulated },
  });
  await writeFileAtomic(join(outDir, "catalog.json"), `${JSON.stringify(cat, null, 1)}\n`);
}
