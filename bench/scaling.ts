/**
 * The cost curve of a site run (SIMULATED Ganzhou, 2018-2024): wall time and peak RSS for 1, 2, 4
 * and 8 in-season scenes per year at 1x, 4x and 16x the AOI's pixels (40, 20 and 10 m); then, at
 * the largest case, the years composited in 2 worker threads against 1, and a queued run with 2
 * worker processes on a local redis-server against the local run. Each run is a child process
 * measured by /usr/bin/time (peak RSS of the process, its worker threads included).
 * Writes out/scaling.json and out/scaling.png (the curve; docs/img/scaling.png is a copy).
 * Run: npx tsx bench/scaling.ts [--base 40]
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import sharp from "sharp";
import { startRedis } from "../tests/helpers/redis.ts";
import { arg, report, tempDir } from "./lib.ts";

const base = arg("base", 40);
const YEARS = "2018-2024";
const AOIS = [1, 4, 16];
const IN_SEASON = [1, 2, 4, 8];
/** The simulator puts round(2n/3) of n scenes per year in the season window: n for 1, 2, 4, 8 in season. */
const PER_YEAR: Record<number, number> = { 1: 1, 2: 3, 4: 6, 8: 12 };

interface Measured {
  wall: number;
  rssMb: number;
}

function timed(args: string[]): Measured {
  const t0 = performance.now();
  const r = spawnSync("/usr/bin/time", ["-f", "%M", process.execPath, "bin/reewatch.js", ...args], { encoding: "utf8", maxBuffer: 64 << 20 });
  const wall = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`${args.join(" ")}: ${r.stderr}`);
  return { wall, rssMb: Number(r.stderr.trim().split("\n").at(-1)) / 1024 };
}

function simulate(dir: string, aoi: number, k: number): string {
  const out = join(dir, `sim-${aoi}x-${k}`);
  const resolution = base / Math.sqrt(aoi);
  const r = spawnSync(
    process.execPath,
    [
      "bin/reewatch.js",
      "simulate",
      "--site",
      "ganzhou",
      "--years",
      YEARS,
      "--resolution",
      String(resolution),
      "--scenes-per-year",
      String(PER_YEAR[k]),
      "--out",
      out,
      "-q",
    ],
    { encoding: "utf8" },
  );
  if (r.status !== 0) throw new Error(r.stderr);
  return out;
}

function aoiPixels(run: string): number {
  const item = JSON.parse(readFileSync(join(run, "composites", "2018", "2018.json"), "utf8"));
  const [h, w] = item.properties["proj:shape"] as [number, number];
  return w * h;
}

/** A queued run with two `reewatch worker` processes (1 thread each) on a fresh redis-server. */
async function queuedRun(scenes: string, out: string): Promise<Measured> {
  const redis = await startRedis();
  const workers: ChildProcess[] = [0, 1].map(() =>
    spawn(process.execPath, ["bin/reewatch.js", "worker", "--queue", redis.url, "-j", "1", "-q"], { stdio: "ignore" }),
  );
  try {
    return timed(["run", "ganzhou", "--scenes", scenes, "--out", out, "--queue", redis.url, "-q"]);
  } finally {
    for (const w of workers) w.kill("SIGTERM");
    await Promise.all(workers.map((w) => new Promise((r) => w.once("exit", r))));
    await redis.stop();
  }
}

interface Row extends Measured {
  aoi: number;
  k: number;
  pixels: number;
}

async function main(): Promise<void> {
  const { dir, cleanup } = tempDir("scaling");
  try {
    const rows: Row[] = [];
    const sims = new Map<string, string>();
    for (const aoi of AOIS)
      for (const k of IN_SEASON) {
        const sim = simulate(dir, aoi, k);
        sims.set(`${aoi}-${k}`, sim);
        const run = join(dir, `run-${aoi}x-${k}`);
        const m = timed(["run", "ganzhou", "--scenes", sim, "--out", run, "-j", "1", "-q"]);
        rows.push({ aoi, k, pixels: aoiPixels(run), ...m });
        process.stderr.write(`${aoi}x AOI, ${k} scenes/yr: ${m.wall.toFixed(1)} s, ${m.rssMb.toFixed(0)} MB\n`);
      }
    const big = sims.get(`16-4`)!;
    const j1 = rows.find((r) => r.aoi === 16 && r.k === 4)!;
    const j2 = timed(["run", "ganzhou", "--scenes", big, "--out", join(dir, "j2"), "-j", "2", "-q"]);
    const queued = await queuedRun(big, join(dir, "queued"));
    const fields: Record<string, number | string> = { site: "SIMULATED ganzhou, 2018-2024", "1x AOI": `${base} m, ${rows[0]!.pixels} px` };
    for (const r of rows) fields[`${r.aoi}x AOI, ${r.k} scenes/yr: seconds | MB`] = `${r.wall.toFixed(2)} | ${r.rssMb.toFixed(0)}`;
    fields["16x, 4/yr: -j 2 over -j 1 speed-up"] = j1.wall / j2.wall;
    fields["16x, 4/yr: -j 2 seconds | MB"] = `${j2.wall.toFixed(2)} | ${j2.rssMb.toFixed(0)}`;
    fields["16x, 4/yr: queued (2 workers) seconds"] = queued.wall;
    fields["16x, 4/yr: queued over local -j 2 time ratio"] = queued.wall / j2.wall;
    report("scaling", fields);
    mkdirSync("out", { recursive: true });
    writeFileSync("out/scaling.json", `${JSON.stringify({ base, rows, j2, queued }, null, 1)}\n`);
    await sharp(Buffer.from(plot(rows)))
      .png()
      .toFile("out/scaling.png");
  } finally {
    cleanup();
  }
}

/** Two panels: seconds against pixel-observations (pixels x in-season scenes x years), peak MB against AOI pixels. */
function plot(rows: Row[]): string {
  const W = 900;
  const H = 380;
  const panel = (x0: number, title: string, xs: number[], ys: number[], xLabel: string, yLabel: string, series: (r: Row) => string) => {
    const [xMax, yMax] = [Math.max(...xs) * 1.05, Math.max(...ys) * 1.1];
    const px = (v: number) => x0 + 60 + (v / xMax) * 340;
    const py = (v: number) => H - 50 - (v / yMax) * (H - 110);
    const groups = new Map<string, Row[]>();
    rows.forEach((r) => {
      const key = series(r);
      (groups.get(key) ?? groups.set(key, []).get(key)!).push(r);
    });
    const colours = ["#1b9e77", "#d95f02", "#7570b3", "#e7298a"];
    let svg = `<text x="${x0 + 230}" y="24" font-size="15" text-anchor="middle">${title}</text>`;
    svg += `<line x1="${px(0)}" y1="${py(0)}" x2="${px(xMax)}" y2="${py(0)}" stroke="#000"/><line x1="${px(0)}" y1="${py(0)}" x2="${px(0)}" y2="${py(yMax)}" stroke="#000"/>`;
    svg += `<text x="${x0 + 230}" y="${H - 12}" font-size="12" text-anchor="middle">${xLabel}</text>`;
    svg += `<text x="${x0 + 16}" y="${H / 2}" font-size="12" transform="rotate(-90 ${x0 + 16} ${H / 2})" text-anchor="middle">${yLabel}</text>`;
    for (const t of [0, 0.5, 1])
      svg += `<text x="${px(0) - 6}" y="${py(t * yMax) + 4}" font-size="10" text-anchor="end">${(t * yMax).toFixed(0)}</text><text x="${px(t * xMax)}" y="${py(0) + 14}" font-size="10" text-anchor="middle">${(t * xMax).toFixed(1)}</text>`;
    [...groups.entries()].forEach(([name, g], i) => {
      const c = colours[i % colours.length];
      const pts = g.map((r) => [px(xs[rows.indexOf(r)]!), py(ys[rows.indexOf(r)]!)]).sort((a, b) => a[0]! - b[0]!);
      svg += `<polyline fill="none" stroke="${c}" stroke-width="2" points="${pts.map((p) => p.join(",")).join(" ")}"/>`;
      svg += pts.map(([x, y]) => `<circle cx="${x}" cy="${y}" r="3" fill="${c}"/>`).join("");
      svg += `<text x="${x0 + 70}" y="${48 + 15 * i}" font-size="11" fill="${c}">${name}</text>`;
    });
    return svg;
  };
  const years = 7;
  const left = panel(
    0,
    "Wall time of a site run (-j 1)",
    rows.map((r) => (r.pixels * r.k * years) / 1e6),
    rows.map((r) => r.wall),
    "million pixel-observations (AOI px x scenes/yr x 7 yr)",
    "seconds",
    (r) => `${r.aoi}x AOI`,
  );
  const right = panel(
    450,
    "Peak memory of a site run (-j 1)",
    rows.map((r) => r.pixels / 1e6),
    rows.map((r) => r.rssMb),
    "AOI megapixels",
    "peak RSS, MB",
    (r) => `${r.k} scenes/yr`,
  );
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}"><rect width="100%" height="100%" fill="#fff"/>${left}${right}<text x="${W - 8}" y="${H - 4}" font-size="9" text-anchor="end">SIMULATED Ganzhou (reewatch bench/scaling.ts)</text></svg>`;
}

await main();
