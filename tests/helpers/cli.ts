/** Runs the real CLI (`node bin/reewatch.js ...`) as a child process. */
import { spawn, spawnSync } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** `env` adds to this process's environment. */
export function reewatch(args: string[], timeoutMs = 300_000, env: Record<string, string> = {}): CliResult {
  const r = spawnSync(process.execPath, [`${ROOT}bin/reewatch.js`, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    encoding: "utf8",
    timeout: timeoutMs,
    maxBuffer: 64 << 20,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** The `result` of a command's --json document ({command, ok, seconds, result}), after checking its shape. */
export function jsonResult<T = any>(r: CliResult): T {
  const doc = JSON.parse(r.stdout) as { command: string; ok: boolean; seconds: number; result?: T; error?: string };
  if (typeof doc.command !== "string" || typeof doc.ok !== "boolean" || typeof doc.seconds !== "number")
    throw new Error(`not a --json document: ${r.stdout.slice(0, 200)}`);
  if (!("result" in doc)) throw new Error(`--json document without a result: ${doc.error}`);
  return doc.result as T;
}

/** The CLI without blocking this process's event loop (for tests that serve HTTP from it). */
export function reewatchAsync(args: string[], timeoutMs = 300_000): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [`${ROOT}bin/reewatch.js`, ...args], { cwd: ROOT, timeout: timeoutMs });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => {
      stdout += d;
    });
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** Runs each command in turn; the first that fails throws, naming the command and its stderr. */
export function reewatchSteps(steps: string[][]): void {
  for (const args of steps) {
    const r = reewatch(args);
    if (r.code) throw new Error(`reewatch ${args.join(" ")}: ${r.stderr}`);
  }
}

/**
 * The runs several tests start from, under `root`: the real Brumadinho pair (`brumadinho/`) and a
 * SIMULATED Bayan Obo at 120 m (`sim/` scenes, `bayan-obo/` run).
 */
export function sampleSiteSteps(root: string): string[][] {
  return [
    ["run", "brumadinho", "--out", join(root, "brumadinho")],
    ["simulate", "--site", "bayan-obo", "--years", "2016-2024", "--resolution", "120", "--out", join(root, "sim")],
    ["run", "bayan-obo", "--scenes", join(root, "sim"), "--out", join(root, "bayan-obo")],
  ];
}
