/**
 * Supply chain: no dependency needs an install script to work. npm runs install scripts with the
 * user's rights at `npm ci`; the lockfile records which packages have one (`hasInstallScript`).
 * The two there today were checked by hand in a clone installed with `npm ci --ignore-scripts`
 * (docs/reliability.md: Supply chain): a new one fails this test until someone has checked it
 * too and added it here with the reason.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "./helpers/cli.ts";

/** Packages with an install script, and why reewatch works when it never ran. */
const CHECKED: Record<string, string> = {
  "node_modules/esbuild": "postinstall only verifies and links the platform binary; the JS API resolves @esbuild/<platform> itself",
  "node_modules/msgpackr-extract": "optional native speed-up of msgpackr (BullMQ's job encoding); msgpackr falls back to JavaScript",
};

interface LockEntry {
  hasInstallScript?: boolean;
  dev?: boolean;
}

describe("supply chain", () => {
  it("lists every package with an install script among the ones checked to work without it", () => {
    const lock = JSON.parse(readFileSync(join(ROOT, "package-lock.json"), "utf8")) as { packages: Record<string, LockEntry> };
    const withScripts = Object.entries(lock.packages)
      .filter(([, p]) => p.hasInstallScript)
      .map(([path]) => path);
    expect(withScripts.filter((p) => !(p in CHECKED))).toEqual([]);
  });

  it("pins every direct dependency to one version, so `npm ci` and the lockfile agree", () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as Record<string, Record<string, string>>;
    const ranges = Object.entries({ ...pkg.dependencies, ...pkg.devDependencies }).filter(([, v]) => !/^\d+\.\d+\.\d+$/.test(v));
    expect(ranges).toEqual([]);
  });
});
