import { Command } from "commander";
import {
  type Aoi,
  type AoiCrs,
  BadParameter,
  type FetchOptions,
  type FetchSummary,
  fetchProgress,
  fetchScenes,
  formatSummary,
  loadAoi,
  loadSite,
  PLANETARY_TOKEN_URL,
  parseAoi,
  parseSeason,
  type Season,
  type Site,
} from "../pipeline/src/index.ts";
import { say, setResult, showProgress } from "./output.ts";

export const EARTH_SEARCH = "https://earth-search.aws.element84.com/v1";

export function command(): Command {
  return new Command("fetch")
    .description("search a STAC API and fetch the AOI window of each scene's bands as offline scene folders (COGs + STAC item + fetch.json)")
    .option("--site <key-or-json>", "a site: its AOI and, unless given here, its real-data sources, years, season and cloud limits")
    .option("--aoi <file>", "AOI polygon file instead of a site: GeoJSON, KML or a zipped Shapefile (with its .prj)")
    .option("--aoi-crs <datum>", "datum of the AOI's lon/lat: wgs84 (default), gcj02 (AMap/Gaode, Tencent maps) or bd09 (Baidu); converted to WGS84", "wgs84")
    .option("--from <YYYY-MM-DD>", "first acquisition date (default: the site's first real-data year)")
    .option("--to <YYYY-MM-DD>", "last acquisition date (default: the site's last real-data year)")
    .option("--stac <url>", `STAC API root (default ${EARTH_SEARCH}, or the site's)`)
    .option("--collection <name>", "sentinel-2-l2a (default), sentinel-2-c1-l2a or landsat-c2-l2")
    .option("--sas-token-url <url>", `SAS token endpoint for signed asset URLs (Planetary Computer: ${PLANETARY_TOKEN_URL}; set automatically for it)`)
    .option("--max-cloud <pct>", "drop scenes whose eo:cloud_cover is above this")
    .option("--max-aoi-cloud <pct>", "read the cloud mask window first and skip scenes whose AOI is cloudier than this")
    .option("--season <MM-MM>", "keep acquisitions in these months (e.g. 06-09, or 10-02 across the new year; MM-DD:MM-DD for days)")
    .option("--margin <m>", "metres fetched around the AOI's bounds (default 200, or the site's)")
    .option("--dry-run", "list what would be fetched, with the estimated volume, and fetch nothing")
    .option("--retries <n>", "tries per request before giving up", "6")
    .option("--timeout <s>", "seconds per request try", "30")
    .requiredOption("-o, --out <dir>", "output folder: one folder per scene and fetch.json")
    .action(async (opts) => {
      const runs = await plan(opts);
      const summaries: FetchSummary[] = [];
      for (const o of runs) {
        const progress = fetchProgress(o.collection, { quiet: !showProgress(), tty: !!process.stderr.isTTY });
        try {
          summaries.push(await fetchScenes(o, progress.events));
        } finally {
          progress.stop();
        }
        say(formatSummary(summaries.at(-1)!, o));
        setResult(summaries.length === 1 ? summaries[0] : summaries);
      }
      const failed = summaries.reduce((n, s) => n + s.failed.length, 0);
      if (failed) throw new BadParameter(`${failed} scene(s) could not be fetched (see fetch.json for each cause); rerun the same command to try them again`);
      const outside = summaries.every((s) => s.found > 0 && s.fetched + s.kept === 0 && s.skipped.every((e) => /outside the item/.test(e.reason ?? "")));
      if (!opts.dryRun && outside) throw new BadParameter(`--aoi: the AOI lies outside the rasters of every item found (${summaries[0]!.found})`);
    });
}

/** One FetchOptions per source: the command line's, or each of the site's real-data sources. */
async function plan(opts: Record<string, string | boolean | undefined>): Promise<FetchOptions[]> {
  if (!opts.site === !opts.aoi) throw new BadParameter("fetch: give exactly one of --site KEY or --aoi FILE");
  const site = opts.site ? await loadSite(String(opts.site)) : undefined;
  const aoi: Aoi = site
    ? parseAoi(site.aoi, `site ${site.key} AOI`)
    : await loadAoi(String(opts.aoi), { crs: String(opts.aoiCrs) as AoiCrs, label: `--aoi ${opts.aoi}` });
  const sources = site?.realData?.sources.filter((s) => !opts.collection || s.collection === opts.collection) ?? [];
  if (site && !opts.collection && sources.length === 0)
    throw new BadParameter(`--site ${site.key}: the site has no realData block; give --collection and --from/--to`);
  const common = commonOptions(opts, aoi, site);
  if (!sources.length) return [fromFlags(opts, common)];
  return sources.map((s) =>
    fromFlags(opts, {
      ...common,
      api: s.stac,
      collection: s.collection,
      from: `${s.years[0]}-01-01`,
      to: `${s.years[1]}-12-31`,
      ...(s.tokenUrl ? { tokenUrl: s.tokenUrl } : {}),
      ...(s.season ? { season: s.season } : {}),
      ...(s.maxCloud !== undefined ? { maxCloud: s.maxCloud } : {}),
      ...(s.maxAoiCloud !== undefined ? { maxAoiCloud: s.maxAoiCloud } : {}),
    }),
  );
}

type Partial2 = Partial<FetchOptions> & Pick<FetchOptions, "aoi" | "outDir" | "marginM">;

function commonOptions(opts: Record<string, string | boolean | undefined>, aoi: Aoi, site?: Site): Partial2 {
  return {
    aoi,
    outDir: String(opts.out),
    marginM: opts.margin !== undefined ? num("--margin", opts.margin, 0, 5000) : (site?.realData?.marginM ?? 200),
    ...(site ? { season: { start: site.season.start, end: site.season.end }, provenance: { site: site.key } } : {}),
  };
}

/** Flags given on the command line win over the site's values. */
function fromFlags(opts: Record<string, string | boolean | undefined>, base: Partial2): FetchOptions {
  const api = String(opts.stac ?? base.api ?? EARTH_SEARCH);
  const from = date("--from", opts.from ?? base.from);
  const to = date("--to", opts.to ?? base.to);
  if (from > to) throw new BadParameter(`--from ${from} is after --to ${to}`);
  const season: Season | undefined = opts.season ? parseSeason(String(opts.season)) : base.season;
  const tokenUrl = opts.sasTokenUrl
    ? String(opts.sasTokenUrl)
    : (base.tokenUrl ?? (/planetarycomputer\.microsoft\.com/i.test(api) ? PLANETARY_TOKEN_URL : undefined));
  const maxCloud = opts.maxCloud !== undefined ? num("--max-cloud", opts.maxCloud, 0, 100) : base.maxCloud;
  const maxAoiCloud = opts.maxAoiCloud !== undefined ? num("--max-aoi-cloud", opts.maxAoiCloud, 0, 100) : base.maxAoiCloud;
  return {
    ...base,
    api,
    collection: String(opts.collection ?? base.collection ?? "sentinel-2-l2a"),
    from,
    to,
    dryRun: !!opts.dryRun,
    retry: { tries: num("--retries", opts.retries ?? "6", 1, 20) },
    timeoutMs: 1000 * num("--timeout", opts.timeout ?? "30", 0.1, 600),
    ...(season ? { season } : {}),
    ...(tokenUrl ? { tokenUrl } : {}),
    ...(maxCloud !== undefined ? { maxCloud } : {}),
    ...(maxAoiCloud !== undefined ? { maxAoiCloud } : {}),
  };
}

function num(name: string, v: unknown, lo: number, hi: number): number {
  const n = Number(v);
  if (!(Number.isFinite(n) && n >= lo && n <= hi)) throw new BadParameter(`${name} ${String(v)}: expected a number in ${lo}..${hi}`);
  return n;
}

function date(name: string, v: unknown): string {
  if (v === undefined) throw new BadParameter(`${name}: required (YYYY-MM-DD) unless the site names its years`);
  const s = String(v);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s) || Number.isNaN(Date.parse(s))) throw new BadParameter(`${name} ${s}: expected a date YYYY-MM-DD`);
  return s;
}
