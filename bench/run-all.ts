/**
 * Runs every benchmark in turn, each in its own process (so one's memory does not colour the
 * next's peak RSS), and prints each one's output as it comes. Extra arguments (e.g. `--size 4096`
 * for a quicker, smaller run) go to every benchmark. Run: npm run bench [-- --size N]
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const BENCHES = ["index-math", "decode", "cog-write", "indices-e2e", "tiles", "segmentation", "demo", "scaling"];
const dir = fileURLToPath(new URL(".", import.meta.url));
const failed: string[] = [];
for (const name of BENCHES) {
  process.stdout.write(`\n=== bench/${name}.ts\n`);
  const r = spawnSync(process.execPath, ["--import", "tsx", `${dir}${name}.ts`, ...process.argv.slice(2)], { stdio: "inherit" });
  if (r.status !== 0) failed.push(name);
}
if (failed.length) {
  process.stderr.write(`bench: ${failed.join(", ")} failed\n`);
  process.exit(1);
}
