/**
 * A restoration or disturbance claim, as anyone can write it (see samples/claims/):
 * {"id", "site", "zone" (a zone name or a GeoJSON geometry in EPSG:4326), "period": [from, to],
 *  "metric", "index", "comparator", "value"}.
 */
import { readFile } from "node:fs/promises";
import { z } from "zod";
import { BadParameter, oneLine } from "../errors.ts";

export const METRICS = ["disturbed_area_km2", "restored_area_km2", "restored_fraction", "mean_index_change"] as const;
export type Metric = (typeof METRICS)[number];

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "expected YYYY-MM-DD");

export const ClaimSchema = z.object({
  id: z.string().regex(/^[A-Za-z0-9._-]+$/, "letters, digits, . _ - only"),
  site: z.string().min(1),
  zone: z.union([z.string().min(1), z.record(z.string(), z.unknown())]),
  period: z.tuple([isoDate, isoDate]),
  metric: z.enum(METRICS),
  index: z.string().default("ndvi"),
  comparator: z.enum([">=", "<="]),
  value: z.number().finite(),
  /** The claim in words, as it was made (quoted in the report). */
  text: z.string().optional(),
  /** Who made it and where (a publication, a press release). */
  source: z.string().optional(),
  /** What the verdict is expected to be, for example claims used as tests. */
  expected: z.enum(["supported", "not_supported", "inconclusive"]).optional(),
});

export type Claim = z.infer<typeof ClaimSchema>;

export function parseClaim(json: unknown, label: string): Claim {
  const r = ClaimSchema.safeParse(json);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    throw new BadParameter(`${label}: ${issue.path.join(".") || "claim"}: ${issue.message}`);
  }
  const [from, to] = r.data.period;
  if (from > to) throw new BadParameter(`${label}: period ${from} .. ${to} ends before it starts`);
  return r.data;
}

export async function loadClaim(path: string): Promise<Claim> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, "utf8"));
  } catch (err) {
    // oneLine: V8's JSON message quotes the text at the fault, tabs and newlines included.
    throw new BadParameter(`${path}: cannot read the claim (${oneLine(err)})`);
  }
  return parseClaim(json, path);
}
