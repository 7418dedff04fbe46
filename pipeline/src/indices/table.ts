/**
 * THE index table (docs/science.md: Indices): one entry per index with its bands, declared display
 * range, unit, colour map, citation and a plain-language description. Adding an index is one
 * entry here; the formula comes from a family in families.ts.
 */
import { BadParameter } from "../errors.ts";
import type { BandLetter, Sensor } from "../raster.ts";
import { type Kernel, linearCombination, normalizedDifference, pointwise, safeDiv } from "./families.ts";
import { tcCoefficients } from "./tasseled-cap.ts";

export interface IndexDef {
  name: string;
  title: string;
  bands: BandLetter[];
  range: [number, number];
  unit: string;
  colormap: string;
  citation: string;
  description: string;
  kernel: Kernel;
}

const SIX: BandLetter[] = ["B", "G", "R", "N", "S1", "S2"];
const L_SAVI = 0.5;

const bsi = (s1: number, r: number, n: number, b: number) => safeDiv(s1 + r - (n + b), s1 + r + (n + b));
const ibi = (s1: number, n: number, r: number, g: number) => {
  const built = safeDiv(2 * s1, s1 + n);
  const veg = safeDiv(n, n + r) + safeDiv(g, g + s1);
  return safeDiv(built - veg, built + veg);
};

export const INDEX_TABLE: IndexDef[] = [
  {
    name: "ndvi",
    title: "NDVI",
    bands: ["N", "R"],
    range: [-0.2, 0.9],
    unit: "",
    colormap: "ndvi",
    citation: "Rouse et al. 1974",
    description: "Greenness of vegetation: bare ground near 0, dense forest above 0.7.",
    kernel: normalizedDifference("N", "R"),
  },
  {
    name: "savi",
    title: "SAVI",
    bands: ["N", "R"],
    range: [-0.2, 0.9],
    unit: "",
    colormap: "ndvi",
    citation: "Huete 1988 (L = 0.5)",
    description: "NDVI corrected for bright soil background, better on sparse cover.",
    kernel: pointwise(["N", "R"], ([n, r]) => safeDiv((1 + L_SAVI) * (n! - r!), n! + r! + L_SAVI)),
  },
  {
    name: "msavi2",
    title: "MSAVI2",
    bands: ["N", "R"],
    range: [-0.2, 0.9],
    unit: "",
    colormap: "ndvi",
    citation: "Qi et al. 1994",
    description: "Soil-adjusted vegetation index without a tuning constant.",
    kernel: pointwise(["N", "R"], ([n, r]) => 0.5 * (2 * n! + 1 - Math.sqrt((2 * n! + 1) ** 2 - 8 * (n! - r!)))),
  },
  {
    name: "evi",
    title: "EVI",
    bands: ["N", "R", "B"],
    range: [-0.2, 1],
    unit: "",
    colormap: "ndvi",
    citation: "Huete et al. 2002",
    description: "Greenness less saturated over dense canopy, corrected for aerosols.",
    kernel: pointwise(["N", "R", "B"], ([n, r, b]) => 2.5 * safeDiv(n! - r!, n! + 6 * r! - 7.5 * b! + 1)),
  },
  {
    name: "gdvi",
    title: "GDVI",
    bands: ["N", "R"],
    range: [-0.2, 1],
    unit: "",
    colormap: "ndvi",
    citation: "Wu 2014",
    description: "Generalised difference vegetation index (power 2), for drylands.",
    kernel: pointwise(["N", "R"], ([n, r]) => safeDiv(n! * n! - r! * r!, n! * n! + r! * r!)),
  },
  {
    name: "nbr",
    title: "NBR",
    bands: ["N", "S2"],
    range: [-0.5, 0.9],
    unit: "",
    colormap: "ndvi",
    citation: "Key & Benson 2006",
    description: "Normalized burn ratio: drops sharply when vegetation is removed.",
    kernel: normalizedDifference("N", "S2"),
  },
  {
    name: "nbr2",
    title: "NBR2",
    bands: ["S1", "S2"],
    range: [-0.2, 0.4],
    unit: "",
    colormap: "ndvi",
    citation: "USGS (Landsat NBR2)",
    description: "SWIR moisture contrast, sensitive to post-disturbance recovery.",
    kernel: normalizedDifference("S1", "S2"),
  },
  {
    name: "ndmi",
    title: "NDMI",
    bands: ["N", "S1"],
    range: [-0.5, 0.7],
    unit: "",
    colormap: "moisture",
    citation: "Gao 1996",
    description: "Vegetation water content.",
    kernel: normalizedDifference("N", "S1"),
  },
  {
    name: "ndwi",
    title: "NDWI",
    bands: ["G", "N"],
    range: [-0.8, 0.8],
    unit: "",
    colormap: "water",
    citation: "McFeeters 1996",
    description: "Open water is positive.",
    kernel: normalizedDifference("G", "N"),
  },
  {
    name: "mndwi",
    title: "MNDWI",
    bands: ["G", "S1"],
    range: [-0.8, 0.8],
    unit: "",
    colormap: "water",
    citation: "Xu 2006",
    description: "Open water (including turbid tailings ponds) is positive; less confused by built-up land.",
    kernel: normalizedDifference("G", "S1"),
  },
  {
    name: "ndbi",
    title: "NDBI",
    bands: ["S1", "N"],
    range: [-0.6, 0.6],
    unit: "",
    colormap: "bare",
    citation: "Zha et al. 2003",
    description: "Built-up and bare surfaces are positive.",
    kernel: normalizedDifference("S1", "N"),
  },
  {
    name: "bsi",
    title: "BSI",
    bands: ["S1", "R", "N", "B"],
    range: [-0.5, 0.5],
    unit: "",
    colormap: "bare",
    citation: "Rikimaru et al. 2002",
    description: "Bare soil: higher where ground is exposed (pits, dumps, stripped hillsides).",
    kernel: pointwise(["S1", "R", "N", "B"], ([s1, r, n, b]) => bsi(s1!, r!, n!, b!)),
  },
  {
    name: "ibi",
    title: "IBI",
    bands: ["S1", "N", "R", "G"],
    range: [-0.6, 0.4],
    unit: "",
    colormap: "bare",
    citation: "Xu 2008",
    description: "Index-based built-up index.",
    kernel: pointwise(["S1", "N", "R", "G"], ([s1, n, r, g]) => ibi(s1!, n!, r!, g!)),
  },
  {
    name: "ndbsi",
    title: "NDBSI",
    bands: ["S1", "R", "N", "B", "G"],
    range: [-0.6, 0.5],
    unit: "",
    colormap: "bare",
    citation: "Xu 2013 (RSEI dryness: (BSI + IBI) / 2)",
    description: "Dryness: mean of bare-soil and built-up indices.",
    kernel: pointwise(["S1", "R", "N", "B", "G"], ([s1, r, n, b, g]) => 0.5 * (bsi(s1!, r!, n!, b!) + ibi(s1!, n!, r!, g!))),
  },
  {
    name: "ndsi",
    title: "NDSI",
    bands: ["G", "S1"],
    range: [-0.8, 1],
    unit: "",
    colormap: "water",
    citation: "Hall et al. 1995",
    description: "Snow is above about 0.4 (same formula as MNDWI; read with care over water).",
    kernel: normalizedDifference("G", "S1"),
  },
  {
    name: "albedo",
    title: "Albedo",
    bands: ["B", "R", "N", "S1", "S2"],
    range: [0, 0.5],
    unit: "",
    colormap: "gray",
    citation: "Liang 2001",
    description: "Broadband surface albedo (share of sunlight reflected).",
    kernel: linearCombination(["B", "R", "N", "S1", "S2"], () => [0.356, 0.13, 0.373, 0.085, 0.072], -0.0018),
  },
  {
    name: "tcb",
    title: "TC brightness",
    bands: SIX,
    range: [0, 1],
    unit: "",
    colormap: "gray",
    citation: "Crist 1985 (Landsat); Shi & Xu 2019 (Sentinel-2)",
    description: "Tasseled cap brightness: overall reflectance, high on bare ground and tailings.",
    kernel: linearCombination(SIX, tcCoefficients("brightness")),
  },
  {
    name: "tcg",
    title: "TC greenness",
    bands: SIX,
    range: [-0.1, 0.4],
    unit: "",
    colormap: "ndvi",
    citation: "Crist 1985 (Landsat); Shi & Xu 2019 (Sentinel-2)",
    description: "Tasseled cap greenness: green vegetation.",
    kernel: linearCombination(SIX, tcCoefficients("greenness")),
  },
  {
    name: "tcw",
    title: "TC wetness",
    bands: SIX,
    range: [-0.4, 0.1],
    unit: "",
    colormap: "moisture",
    citation: "Crist 1985 (Landsat); Shi & Xu 2019 (Sentinel-2)",
    description: "Tasseled cap wetness: soil and canopy moisture.",
    kernel: linearCombination(SIX, tcCoefficients("wetness")),
  },
  {
    name: "lst",
    title: "LST",
    bands: ["T"],
    range: [0, 60],
    unit: "degC",
    colormap: "heat",
    citation: "USGS Landsat C2 L2 surface temperature (ST_B10/ST_B6)",
    description: "Land surface temperature in degrees Celsius (Landsat thermal band only).",
    kernel: pointwise(["T"], ([t]) => t! - 273.15),
  },
];

/** Index names that need statistics over a whole scene or region, computed by the jobs (DI, RSEI). */
export const SCENE_STAT_INDICES = ["di", "rsei"];

export function indexByName(name: string): IndexDef {
  if (SCENE_STAT_INDICES.includes(name.toLowerCase()))
    throw new BadParameter(
      `--index ${name}: needs statistics over a whole region and year; \`reewatch run\` writes RSEI per site and year (DI is not implemented yet)`,
    );
  const def = INDEX_TABLE.find((d) => d.name === name.toLowerCase());
  if (!def) throw new BadParameter(`--index ${name}: unknown index (known: ${INDEX_TABLE.map((d) => d.name).join(", ")})`);
  return def;
}

/** Every index whose bands the scene has. */
export function indicesFor(_sensor: Sensor, available: BandLetter[]): IndexDef[] {
  return INDEX_TABLE.filter((d) => d.bands.every((b) => available.includes(b)));
}
