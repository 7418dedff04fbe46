/** The state of one labelling session: a site's sample in presentation order, the labeller's saved rows, the shown point. */
import type { Site } from "./api.ts";
import type { LabelRow, SamplePoint, Saved, Strata } from "./label-api.ts";
import { presentationOrder } from "./label-order.ts";
import { type ClassChoice, classChoices } from "./label-view.ts";

export interface Session {
  site: Site;
  strata: Strata;
  choices: ClassChoice[];
  points: SamplePoint[];
  rows: Map<string, LabelRow>;
  counts: Saved;
  labeller: string;
  writable: boolean;
  /** Position in `points`; -1 once every point has a row. */
  index: number;
  undo: { id: string; previous: LabelRow | undefined }[];
  showStratum: boolean;
  /** The map class was on screen at some moment while this point was. */
  shownHere: boolean;
  dates: string[];
  before: string;
  after: string;
  busy: boolean;
}

/** A session before the labeller's rows are loaded: first point, blind, the first and last dates compared. */
export function newSession(site: Site, strata: Strata, points: SamplePoint[], labeller: string): Session {
  const dates = site.products.find((p) => p.key === "truecolor")?.dates ?? site.dates;
  return {
    site,
    strata,
    choices: classChoices(site, strata),
    points: presentationOrder(points, strata.seed ?? 0),
    rows: new Map(),
    counts: { file: "", total: points.length, labelled: 0, skipped: 0 },
    labeller,
    writable: false,
    index: 0,
    undo: [],
    showStratum: false,
    shownHere: false,
    dates,
    before: dates[0] ?? "",
    after: dates.at(-1) ?? "",
    busy: false,
  };
}
