/**
 * `reewatch tiles`: a static copy of what the server offers, for any static host: an XYZ tile
 * folder per site/product/date, api/sites.json (marked static: point and zonal queries then
 * say they need the server), the reports, each run's run.json and the built viewer.
 */
import { cp, mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { cog } from "./data-access.ts";
import { tileCover } from "./mercator.ts";
import { encodeTile, renderTileRgba } from "./render.ts";
import { indexSites, productPath, publicSite } from "./site-index.ts";

export interface ExportOptions {
  dir: string;
  out: string;
  minZoom: number;
  maxZoom: number;
  products?: string[];
  log?: (l: string) => void;
}

export async function exportStatic(o: ExportOptions): Promise<{ tiles: number }> {
  const sites = await indexSites(o.dir);
  let count = 0;
  for (const s of sites) {
    const keep = s.products.filter((p) => !o.products || o.products.includes(p.key));
    s.products = keep;
    for (const p of keep)
      for (const date of p.dates) {
        const t = await cog(s.dir, productPath(s, p.key, date)!);
        for (let z = o.minZoom; z <= o.maxZoom; z++)
          for (const [x, y] of tileCover(s.bbox, z)) {
            const rgba = await renderTileRgba(t, z, x, y, {
              kind: p.kind,
              colormap: p.colormap,
              range: p.range,
            });
            if (!rgba) continue;
            const dir = join(o.out, "tiles", s.key, p.key, date, String(z), String(x));
            await mkdir(dir, { recursive: true });
            await writeFile(join(dir, `${y}.png`), await encodeTile(rgba, "png"));
            count++;
          }
      }
    await cp(join(s.dir, "reports"), join(o.out, "reports", s.key), { recursive: true }).catch(() => {});
    await mkdir(join(o.out, "stac", s.key), { recursive: true });
    await cp(join(s.dir, "run.json"), join(o.out, "stac", s.key, "run.json"));
    o.log?.(`${s.simulated ? "SIMULATED " : ""}${s.key}: ${keep.length} products`);
  }
  await mkdir(join(o.out, "api"), { recursive: true });
  await writeFile(join(o.out, "api", "sites.json"), JSON.stringify({ static: true, sites: sites.map(publicSite) }));
  await cp(fileURLToPath(new URL("../../viewer/dist/", import.meta.url)), o.out, { recursive: true }).catch(() =>
    o.log?.("viewer/dist missing: run `npx vite build viewer` first"),
  );
  return { tiles: count };
}
