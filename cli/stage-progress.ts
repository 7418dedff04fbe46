/**
 * Progress of staged work on stderr (site runs, the demo's sites side by side, the scenes of
 * `indices` and `simulate`, the layers of `tiles`): on a terminal one cli-progress bar per label
 * with items done/total, the current item and an ETA; otherwise (CI logs, pipes) one plain line
 * per item; nothing when quiet. Lines logged meanwhile go above the bars.
 */
import cliProgress from "cli-progress";

export interface StageUpdate {
  stage: string;
  done: number;
  total: number;
  /** `done` counts this item (told as it ends), rather than the ones before it (told as it starts). */
  finished?: boolean;
}

export interface StageBars {
  /** The updater of one label's bar (created on first use). */
  bar(label: string): (u: StageUpdate) => void;
  log(line: string): void;
  stop(): void;
}

export function stageBars(o: { quiet: boolean; tty: boolean; unit?: string }): StageBars {
  if (o.quiet) return { bar: () => () => {}, log: () => {}, stop() {} };
  if (!o.tty) return plainBars(o.unit ?? "stages");
  const multi = new cliProgress.MultiBar(
    { format: `{label} [{bar}] {value}/{total} ${o.unit ?? "stages"} | ETA {eta_formatted} | {stage}`, hideCursor: true, clearOnComplete: false },
    cliProgress.Presets.shades_classic,
  );
  const bars = new Map<string, cliProgress.SingleBar>();
  return {
    bar: (label) => (u) => {
      const b = bars.get(label) ?? multi.create(u.total, u.done, { label, stage: u.stage });
      bars.set(label, b);
      b.setTotal(u.total);
      b.update(u.done, { stage: u.stage });
    },
    log: (line) => multi.log(`${line}\n`),
    stop: () => multi.stop(),
  };
}

function plainBars(unit: string): StageBars {
  const write = (line: string) => process.stderr.write(`${line}\n`);
  const line = (label: string, u: StageUpdate) =>
    u.stage === "done" ? `${label}: done (${u.total} ${unit})` : `${label}: [${u.finished ? u.done : u.done + 1}/${u.total}] ${u.stage}`;
  return {
    bar: (label) => (u) => write(line(label, u)),
    log: write,
    stop() {},
  };
}
