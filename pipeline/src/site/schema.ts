/**
 * The site definition format (samples/sites/<key>.json), as a zod schema. Everything the
 * pipeline, the verifier and the simulator read from a site is declared here; samples/sites/README.md
 * explains each field. Geometry checks beyond the shape (closed rings, inside the AOI) live in checks.ts.
 */
import { z } from "zod";

const Geometry = z.object({ type: z.enum(["Polygon", "MultiPolygon"]), coordinates: z.array(z.any()) });

/** Land covers the simulator can put on bare ground (spectra.ts has their reflectances). */
export const SURFACES = ["rock", "tailings", "laterite", "soilSteppe", "water"] as const;
export type Surface = (typeof SURFACES)[number];

/** Planted truth of a zone for `reewatch simulate` (events.ts gives the trajectories). */
const ZoneSimulation = z.object({
  /** stable: the zone's surface all along (a tailings pond); the others change the vegetation. */
  event: z.enum(["stable", "mining", "abandonment", "restoration"]),
  /** Year the disturbance first shows in the season composite (expansion front starts here). */
  year: z.number().int().optional(),
  /** Mining expansion: the front reaches the zone's outer edge in this year (default: `year`). */
  yearEnd: z.number().int().optional(),
  /** Share of the pre-event vegetation cover removed (0..1). */
  magnitude: z.number().min(0).max(1).default(0),
  /** Inner share of the zone's area that was already bare before the period (an existing pit). */
  core: z.number().min(0).max(1).optional(),
  /** What the lost vegetation uncovers (default by zone kind: pit/dump rock, leaching laterite...). */
  surface: z.enum(SURFACES).optional(),
  /** Surface of the core (default: `surface`), e.g. the water of a tailings pond inside its beach. */
  coreSurface: z.enum(SURFACES).optional(),
  restorationStart: z.number().int().optional(),
  /** Vegetation fraction regained per year after restorationStart (absolute cover units). */
  rate: z.number().min(0).optional(),
  /** Ceiling of the regrowth, as a share of the pre-event cover (1 = full recovery). */
  targetFraction: z.number().min(0).max(1).optional(),
  /** Share of the zone under turbid leaching ponds while the disturbance is active. */
  ponds: z.number().min(0).max(0.5).optional(),
  /** The recovery state the trajectory is designed to reach by the site's last year (checked by tests). */
  outcome: z.enum(["complete", "partial", "failed", "none"]).optional(),
});

export const ZONE_KINDS = ["pit", "dump", "tailings", "pond", "leaching", "disturbance"] as const;

const Zone = z.object({
  name: z.string().min(1),
  kind: z.enum(ZONE_KINDS),
  geometry: Geometry,
  simulation: ZoneSimulation.optional(),
  /** Listed for claims but outside the AOI and grid: never mapped, claims about it are inconclusive. */
  outsideAoi: z.boolean().optional(),
  note: z.string().optional(),
});

/** How a polygon (the AOI, a zone, a control) or the grid was drawn, and from what. */
const Source = z.object({
  polygon: z.string().min(1),
  approximate: z.boolean(),
  method: z.string().min(1),
  references: z.array(z.string()).default([]),
});

/** The site's landscape for the simulator (only simulated sites need it). */
const SiteSimulation = z.object({
  /** Green-vegetation endmember and the natural bare soil under it. */
  vegetation: z.enum(["steppe", "forest"]),
  soil: z.enum(["soilSteppe", "laterite"]),
  /** Range of the undisturbed peak-season vegetation fraction (a smooth random field spans it). */
  cover: z.tuple([z.number().min(0).max(1), z.number().min(0).max(1)]),
  /** Green share of the vegetation through the year: peak day of year and the winter minimum. */
  phenology: z.object({ peakDoy: z.number().int().min(1).max(366), minGreen: z.number().min(0).max(1) }),
  /** Standard deviation of a site-wide yearly factor on vegetation cover (wet and dry years). */
  interannual: z.number().min(0).max(0.3).default(0),
  /** Amplitude of terrain illumination (hill shading) on reflectance, 0 for flat land. */
  terrain: z.number().min(0).max(0.5).default(0),
  /** Mean cloud cover of acquisitions inside and outside the season window. */
  cloudiness: z.object({ season: z.number().min(0).max(0.9), offSeason: z.number().min(0).max(0.9) }),
  /** Months (1-12) in which scenes may show snow. */
  snowMonths: z.array(z.number().int().min(1).max(12)).default([]),
  scenesPerYear: z.number().int().min(1).max(36).default(6),
});

/** One STAC source of real scenes for `reewatch fetch --site` (docs/real-data.md). */
const RealSource = z.object({
  stac: z.string().url(),
  collection: z.string(),
  /** SAS token endpoint when the API's asset URLs must be signed (Planetary Computer). */
  tokenUrl: z.string().url().optional(),
  years: z.tuple([z.number().int(), z.number().int()]),
  /** Month-days; the site's season when absent. */
  season: z.object({ start: z.string(), end: z.string() }).optional(),
  maxCloud: z.number().min(0).max(100).optional(),
  maxAoiCloud: z.number().min(0).max(100).optional(),
  note: z.string().optional(),
});

const RealData = z.object({
  /** Metres fetched around the AOI's bounds. */
  marginM: z.number().min(0).max(5000).default(200),
  sources: z.array(RealSource).min(1),
  note: z.string().optional(),
});

export const SiteSchema = z.object({
  key: z.string().regex(/^[a-z0-9-]+$/),
  name: z.object({ en: z.string(), zh: z.string() }),
  simulated: z.boolean(),
  description: z.string(),
  aoi: Geometry,
  grid: z.object({
    crs: z.string().regex(/^EPSG:\d+$/),
    resolution: z.number().positive(),
    transform: z.array(z.number()).length(6).optional(),
    width: z.number().int().positive().optional(),
    height: z.number().int().positive().optional(),
    note: z.string().optional(),
  }),
  // Checked here (season.ts checks the months and days): a value quoted in its message must be one line.
  season: z.object({
    start: z.string().regex(/^\d{2}-\d{2}$/, "expected MM-DD"),
    end: z.string().regex(/^\d{2}-\d{2}$/, "expected MM-DD"),
    note: z.string().optional(),
  }),
  years: z.tuple([z.number().int(), z.number().int()]),
  mode: z.enum(["annual", "pair"]).default("annual"),
  scenes: z.array(z.string()).optional(),
  /** A label sheet with reference_class filled in by an interpreter (relative to the site JSON). */
  referenceLabels: z.string().optional(),
  indices: z.array(z.string()).min(1),
  changeIndex: z.string(),
  /** Annual composite reducer: median (default), medoid or max-ndvi. */
  reducer: z.enum(["median", "medoid", "max-ndvi"]).default("median"),
  /** Smallest loss of the change index counted as a disturbance (steppe changes less than forest). */
  minMagnitude: z.number().positive().default(0.15),
  maskOverrides: z.array(
    z.object({
      name: z.string(),
      zones: z.array(z.string()).min(1),
      keepSclClasses: z.array(z.number().int().min(0).max(11)).min(1),
      /** Spectral rule by name: bright-bare (BSI > 0.1 and NDVI < 0.2) or turbid-water (MNDWI > 0). */
      ruleName: z.enum(["bright-bare", "turbid-water"]).optional(),
      /** The rule in words, with its formula. */
      rule: z.string(),
    }),
  ),
  controls: z.array(z.object({ name: z.string().min(1), geometry: Geometry })).min(1),
  zones: z.array(Zone),
  claims: z.array(z.string()),
  /** One entry per polygon (older site files: one sentence). */
  sources: z.union([z.string(), z.array(Source)]),
  simulation: SiteSimulation.optional(),
  /** Where the real scenes of the site come from (`reewatch fetch --site`). */
  realData: RealData.optional(),
});

export type SiteJson = z.infer<typeof SiteSchema>;
export type SiteRealSource = z.infer<typeof RealSource>;
export type SiteZone = z.infer<typeof Zone>;
export type ZoneSimulationSpec = z.infer<typeof ZoneSimulation>;
export type SiteSimulationSpec = z.infer<typeof SiteSimulation>;
