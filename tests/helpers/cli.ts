/** Runs the real CLI (`node bin/reewatch.js ...`) as a child process. */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function reewatch(args: string[], timeoutMs = 300_000): CliResult {
  const r = spawnSync(process.execPath, [`${ROOT}bin/reewatch.js`, ...args], {
    cwd: ROOT,
    encoding: "utf8",
    timeout: timeoutMs,
    maxBuffer: 64 << 20,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
