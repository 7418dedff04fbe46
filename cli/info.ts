/** `reewatch info <scene>`: what a scene is, which files and scale/offset it uses, and how cloudy its QA says it is. */
import { Command, Option } from "commander";
import type { QaKind, SceneReader } from "../pipeline/src/index.ts";
import { maskRuleFor, openScene, resolution } from "../pipeline/src/index.ts";
import { outputMode, setResult } from "./output.ts";

export interface QaCounts {
  /** Pixels with data (not SCL 0 / QA_PIXEL fill bit 0). */
  data: number;
  fill: number;
  /** SCL 8, 9, 10 / QA_PIXEL bit 3. */
  cloud: number;
  /** SCL 3 / QA_PIXEL bit 4. */
  shadow: number;
  /** Data pixels the default mask rule (mask/rule.ts) drops. */
  masked: number;
}

/** Counts over one block of QA values (docs/science.md, Masks meanings). */
export function countQa(kind: QaKind, qa: Uint16Array, into: QaCounts): QaCounts {
  const valid = new Uint8Array(qa.length).fill(1);
  maskRuleFor(kind).apply(qa, valid);
  for (let i = 0; i < qa.length; i++) {
    const v = qa[i]!;
    const fill = kind === "s2-scl" ? v === 0 : (v & 1) === 1;
    if (fill) {
      into.fill++;
      continue;
    }
    into.data++;
    if (kind === "s2-scl" ? v === 8 || v === 9 || v === 10 : (v & 0b1000) !== 0) into.cloud++;
    if (kind === "s2-scl" ? v === 3 : (v & 0b10000) !== 0) into.shadow++;
    if (!valid[i]) into.masked++;
  }
  return into;
}

/** The QA band read in strips of rows, so memory stays bounded on full scenes. */
async function qaCounts(scene: SceneReader): Promise<QaCounts | undefined> {
  if (!scene.qa) return undefined;
  const counts: QaCounts = { data: 0, fill: 0, cloud: 0, shadow: 0, masked: 0 };
  const { width, height } = scene.grid;
  for (let y = 0; y < height; y += 1024) {
    const qa = await scene.readQa({ x: 0, y, width, height: Math.min(1024, height - y) });
    if (qa) countQa(scene.qa.kind, qa, counts);
  }
  return counts;
}

export async function describeScene(scene: SceneReader) {
  const counts = await qaCounts(scene);
  const share = (n: number) => (counts && counts.data > 0 ? (100 * n) / counts.data : null);
  return {
    id: scene.id,
    sensor: scene.sensor,
    datetime: scene.datetime,
    simulated: scene.simulated,
    crs: scene.grid.crs,
    size: [scene.grid.width, scene.grid.height],
    resolution: resolution(scene.grid)[0],
    transform: scene.grid.transform,
    nirBand: scene.nirBand,
    bands: Object.fromEntries(
      Object.entries(scene.bands).map(([k, b]) => [
        k,
        { band: b!.name, file: b!.href, resolution: resolution(b!.grid)[0], scale: b!.scale, offset: b!.offset, scaleSource: b!.scaleSource },
      ]),
    ),
    qa: scene.qa ? { kind: scene.qa.kind, band: scene.qa.name, file: scene.qa.href } : null,
    radsat: scene.radsat ? { band: scene.radsat.name, file: scene.radsat.href } : null,
    /** Percent of data pixels, from the QA band. */
    cloudPercent: counts ? share(counts.cloud) : null,
    shadowPercent: counts ? share(counts.shadow) : null,
    maskedPercent: counts ? share(counts.masked) : null,
    fillPercent: counts ? (100 * counts.fill) / Math.max(1, counts.fill + counts.data) : null,
    providerCloudPercent: scene.cloudCover ?? null,
    metadata: scene.metadata,
  };
}

function text(d: Awaited<ReturnType<typeof describeScene>>): string {
  const pct = (v: number | null) => (v === null ? "n/a" : `${v.toFixed(2)} %`);
  const qaLine = d.qa
    ? `cloud       ${pct(d.cloudPercent)} of data pixels (${d.qa.band}), shadow ${pct(d.shadowPercent)}, masked by the default rule ${pct(d.maskedPercent)}, fill ${pct(d.fillPercent)} of the grid`
    : "cloud       no QA band: cannot compute";
  return [
    `${d.simulated ? "SIMULATED " : ""}${d.sensor}  ${d.id}`,
    `date        ${d.datetime}`,
    `grid        ${d.crs}  ${d.size[0]} x ${d.size[1]} px  ${+d.resolution.toFixed(4)} m  origin ${d.transform[2]}, ${d.transform[5]}`,
    `NIR band    ${d.nirBand}`,
    "bands",
    ...Object.entries(d.bands).map(
      ([k, b]) =>
        `  ${k.padEnd(3)} ${b.band.padEnd(7)} ${String(+b.resolution.toFixed(4)).padStart(6)} m  x ${b.scale} + ${b.offset}  (${b.scaleSource})  ${b.file}`,
    ),
    `QA          ${d.qa ? `${d.qa.kind} ${d.qa.file}` : "none"}${d.radsat ? `; saturation ${d.radsat.file}` : ""}`,
    qaLine,
    `provider    cloud cover ${d.providerCloudPercent === null ? "not given" : `${d.providerCloudPercent} %`}`,
  ].join("\n");
}

export function command(): Command {
  return new Command("info")
    .description("describe a scene: sensor, product id, date, CRS, size, resolution, bands, scale/offset, cloud fraction from QA")
    .argument("<scene>", "STAC item JSON (path or URL), scene folder, Landsat tarball or multiband stack")
    .addOption(new Option("--nir <band>", "Sentinel-2 NIR band").choices(["B08", "B8A"]))
    .action(async (path: string, opts: { nir?: "B08" | "B8A" }) => {
      const scene = await openScene(path, opts.nir ? { nir: opts.nir } : {});
      try {
        const d = await describeScene(scene);
        setResult(d);
        if (!outputMode().json) process.stdout.write(`${text(d)}\n`);
      } finally {
        await scene.close();
      }
    });
}
