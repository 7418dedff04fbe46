/**
 * The labelling endpoints of `reewatch serve` (docs/api.md, "Labelling"). Reads are open like the
 * rest of the API. Writes (PUT / DELETE of one point's label) are refused with 403 unless the server
 * was started with `--labels`, and then need the session token in `X-Reewatch-Token`, an `Origin`
 * (when the browser sends one) that is the server's own, and a `Host` that is the server's own.
 */
import { timingSafeEqual } from "node:crypto";
import { access as exists } from "node:fs/promises";
import type { IncomingMessage } from "node:http";
import { join } from "node:path";
import { HttpError } from "./http-errors.ts";
import { checkLabel, checkLabeller, readLabels, readSample, readStrata, saveLabel, sheetBytes } from "./labels.ts";
import type { SiteInfo } from "./site-index.ts";

export const TOKEN_HEADER = "x-reewatch-token";

/** What the server knows about labelling: off (read-only), or on with its token and own origins. */
export interface LabelAccess {
  token: string | null;
  /** `http://host:port` strings a write may come from. */
  origins: string[];
}

export interface Reply {
  status: number;
  body: unknown;
  type?: string;
  headers?: Record<string, string>;
}

/** Origins of the server itself: the address it listens on, and its loopback names when that is loopback. */
export function ownOrigins(host: string, port: number): string[] {
  const loopback = ["127.0.0.1", "localhost", "::1", "[::1]"];
  const hosts = loopback.includes(host) ? ["127.0.0.1", "localhost", "[::1]"] : [host.includes(":") ? `[${host}]` : host];
  return hosts.map((h) => `http://${h}:${port}`);
}

/** Throws 403 with a one-line reason unless the request may write labels. */
export function checkWrite(req: IncomingMessage, access: LabelAccess): void {
  if (!access.token) throw new HttpError(403, "labels are read-only: start `reewatch serve --labels` to save labels");
  const origin = req.headers.origin;
  if (origin !== undefined && !access.origins.includes(origin)) throw new HttpError(403, `origin "${origin}" is not this server (${access.origins[0]})`);
  const host = `http://${req.headers.host ?? ""}`;
  if (!access.origins.includes(host)) throw new HttpError(403, `host "${req.headers.host ?? ""}" is not this server (${access.origins[0]})`);
  const given = Buffer.from(String(req.headers[TOKEN_HEADER] ?? ""));
  const want = Buffer.from(access.token);
  if (given.length !== want.length || !timingSafeEqual(given, want))
    throw new HttpError(403, `missing or wrong ${TOKEN_HEADER}: open the address \`reewatch serve --labels\` printed (it carries this session's token)`);
}

/** The endpoints under /api/{site}/ that this module answers. */
export function isLabelRoute(seg: string[]): boolean {
  return (
    (seg.length === 2 && seg[1] === "labelling") ||
    (seg.length === 3 && ["sample", "strata", "labels", "labels.csv"].includes(seg[2]!)) ||
    (seg.length === 4 && seg[2] === "labels")
  );
}

const fresh = { "cache-control": "no-store" };

/** `GET /api/labelling`: whether this server saves labels, and the sites that have a sample to label. */
export async function labellingStatus(req: IncomingMessage, sites: SiteInfo[], access: LabelAccess): Promise<Reply> {
  if (req.method !== "GET" && req.method !== "HEAD") throw new HttpError(405, `${req.method} is not allowed here`);
  const has = (s: SiteInfo) =>
    exists(join(s.dir, "estimate", "sample.csv")).then(
      () => true,
      () => false,
    );
  const sampled = await Promise.all(sites.map(has));
  return { status: 200, body: { writable: access.token !== null, sites: sites.filter((_, i) => sampled[i]).map((s) => s.key) }, headers: fresh };
}

export async function labelRoute(
  req: IncomingMessage,
  seg: string[],
  url: URL,
  site: SiteInfo,
  access: LabelAccess,
  body: () => Promise<string>,
): Promise<Reply> {
  const method = req.method ?? "GET";
  const [, , what, id] = seg;
  if (id !== undefined) {
    if (method !== "PUT" && method !== "DELETE") throw new HttpError(405, "a point's label takes PUT (save) or DELETE (clear)");
    checkWrite(req, access);
    if (method === "DELETE") return { status: 200, body: await saveLabel(site.dir, id, checkLabeller(url.searchParams.get("labeller")), null), headers: fresh };
    // Read outside the try: a body over the limit is a 413, not "not valid JSON".
    const text = await body();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new HttpError(400, "request body is not valid JSON");
    }
    const classes = (await readStrata(site.dir)).classes.map((c) => c.name);
    const label = checkLabel(json, classes);
    return { status: 200, body: await saveLabel(site.dir, id, label.labeller, label), headers: fresh };
  }
  if (method !== "GET" && method !== "HEAD") throw new HttpError(405, `${method} is not allowed here`);
  if (what === "strata") return { status: 200, body: await readStrata(site.dir), headers: fresh };
  if (what === "sample") return { status: 200, body: { site: site.key, points: await readSample(site.dir) }, headers: fresh };
  const labeller = checkLabeller(url.searchParams.get("labeller"));
  if (what === "labels") return { status: 200, body: { writable: access.token !== null, labeller, ...(await readLabels(site.dir, labeller)) }, headers: fresh };
  const sheet = await sheetBytes(site.dir, labeller);
  if (!sheet) throw new HttpError(404, `no labels by "${labeller}" saved yet in site ${site.key}`);
  const name = `${site.key}-${sheet.name}`;
  return {
    status: 200,
    body: sheet.data,
    type: "text/csv; charset=utf-8",
    headers: { ...fresh, "content-disposition": `attachment; filename="${name.replace(/[^\w.-]/g, "_")}"; filename*=UTF-8''${encodeURIComponent(name)}` },
  };
}
