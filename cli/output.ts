/**
 * What every command prints, the same way: notes and progress on stderr (none with -q, more with
 * -v), and with --json one document on stdout in one shape for every command:
 *   {"command": "run", "ok": true, "seconds": 12.3, "peakRssMB": 240, "result": {...}}   (the command's summary)
 *   {"command": "run", "ok": false, "seconds": 0.1, "peakRssMB": 80, "error": "<one line>", "exitCode": 2}
 * peakRssMB is the process's peak resident memory (worker threads included), so scripts and the
 * memory test (tests/run-memory.test.ts) read it without an external timer.
 * main.ts adds -q, -v and --json to every command and prints the document.
 */
export interface OutputMode {
  quiet: boolean;
  verbose: boolean;
  json: boolean;
}

let mode: OutputMode = { quiet: false, verbose: false, json: false };
let result: unknown = null;

export function setOutputMode(m: OutputMode): void {
  mode = m;
}

export const outputMode = (): OutputMode => mode;

/** A note for people (what was written, where): hidden by -q and --json. */
export function say(line: string): void {
  if (!mode.quiet && !mode.json) process.stderr.write(`${line}\n`);
}

/** A detail shown with -v only. */
export function detail(line: string): void {
  if (mode.verbose && !mode.json) process.stderr.write(`${line}\n`);
}

/** Progress bars are drawn unless -q or --json. */
export const showProgress = (): boolean => !mode.quiet && !mode.json;

/** The command's summary, printed as `result` with --json. */
export function setResult(r: unknown): void {
  result = r;
}

export function jsonDocument(command: string, seconds: number, error?: { message: string; exitCode: number }): string {
  const base = { command, ok: !error, seconds: Math.round(seconds * 1000) / 1000, peakRssMB: peakRssMB() };
  // A failed command may still have a summary (a fetch with some scenes failed): it is kept.
  const doc = error ? { ...base, error: error.message, exitCode: error.exitCode, ...(result === null ? {} : { result }) } : { ...base, result };
  return `${JSON.stringify(doc, null, 1)}\n`;
}

/** Peak resident set size of this process so far, in MB (10^6 bytes; Linux reports maxRSS in KiB). */
function peakRssMB(): number {
  return Math.round((process.resourceUsage().maxRSS * 1024) / 1e5) / 10;
}
