/**
 * `reewatch demo` (what `npm start` runs): the sites run side by side in worker threads, the
 * server opens with the first finished site and shows the others once they are done, and the
 * outputs do not depend on how many sites run at once (-j 1 against the default, one per core).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ROOT } from "./helpers/cli.ts";
import { makeFreshDemo } from "./helpers/demo-fixture.ts";

const tmp = mkdtempSync(join(tmpdir(), "reewatch-demo-cli-"));
let child: ChildProcess | undefined;
afterAll(() => {
  child?.kill("SIGKILL");
  rmSync(tmp, { recursive: true, force: true });
});

/** Resolves with the first stdout line (the viewer's address) and, later, when stderr says every site is ready. */
function startDemo(out: string): { url: Promise<string>; allReady: Promise<void> } {
  child = spawn(process.execPath, [`${ROOT}bin/reewatch.js`, "demo", "--resolution", "60", "-j", "1", "--port", "0", "-o", out], { cwd: ROOT });
  let stderr = "";
  const allReady = new Promise<void>((ok, fail) => {
    child!.stderr!.on("data", (d) => {
      stderr += d;
      if (stderr.includes("every site is ready")) ok();
    });
    child!.on("exit", (code) => fail(new Error(`demo exited ${code}: ${stderr}`)));
  });
  const url = new Promise<string>((ok) => {
    let stdout = "";
    child!.stdout!.on("data", (d) => {
      stdout += d;
      if (stdout.includes("\n")) ok(stdout.split("\n")[0]!.trim().replace(/\/$/, ""));
    });
  });
  return { url, allReady };
}

/** Every file of a demo folder by path with its SHA-256; reports with the folder's own path (in their provenance) replaced. */
function fingerprint(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const e of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!e.isFile() || e.name === "run.json" || /\.html$/.test(e.name)) continue;
    const path = join(e.parentPath, e.name);
    let bytes: Buffer | string = readFileSync(path);
    if (e.name === "report.json") bytes = bytes.toString("utf8").replaceAll(dir, "<demo>");
    out.set(path.slice(dir.length), createHash("sha256").update(bytes).digest("hex"));
  }
  return out;
}

describe("reewatch demo", () => {
  it("opens the viewer with the first finished site, shows all three once done, and writes what a run of all sites at once writes", async () => {
    const one = join(tmp, "one-at-a-time");
    const { url, allReady } = startDemo(one);
    const address = await url;
    const first = (await (await fetch(`${address}/api/sites`)).json()) as { sites: { key: string }[] };
    // -j 1 runs the smallest site first: the real Brumadinho pair is served while the simulated sites still run.
    expect(first.sites.map((s) => s.key)).toContain("brumadinho");
    expect(first.sites.length).toBeLessThan(3);
    await allReady;
    const all = (await (await fetch(`${address}/api/sites`)).json()) as { sites: { key: string }[] };
    expect(all.sites.map((s) => s.key)).toEqual(["bayan-obo", "brumadinho", "ganzhou"]);
    child!.kill("SIGTERM");
    const parallel = await makeFreshDemo();
    try {
      const [a, b] = [fingerprint(one), fingerprint(parallel)];
      expect(a.size).toBeGreaterThan(200);
      expect([...a.keys()].sort()).toEqual([...b.keys()].sort());
      expect([...a].filter(([f, h]) => b.get(f) !== h).map(([f]) => f)).toEqual([]);
    } finally {
      rmSync(join(parallel, ".."), { recursive: true, force: true });
    }
  }, 240_000);
});
