/**
 * The same output contract on every command: -q, -v and --json are accepted everywhere, and
 * --json prints one document of one shape ({command, ok, seconds, peakRssMB, result} or, on failure,
 * {command, ok: false, seconds, peakRssMB, error, exitCode}) while stderr keeps the one-line error.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { jsonResult, reewatch, reewatchAsync } from "./helpers/cli.ts";

const COMMANDS = ["info", "fetch", "indices", "simulate", "run", "change", "recovery", "verify", "estimate", "sample", "serve", "tiles", "demo"];
const tmp = mkdtempSync(join(tmpdir(), "reewatch-output-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("output options on every command", () => {
  it("every command accepts -q, -v and --json", async () => {
    const helps = await Promise.all(COMMANDS.map((name) => reewatchAsync([name, "--help"])));
    for (const [i, name] of COMMANDS.entries())
      for (const flag of ["-q, --quiet", "-v, --verbose", "--json"]) expect(helps[i]!.stdout, `${name} ${flag}`).toContain(flag);
  }, 60_000);

  it("--json: one document of the same shape from different commands; -q: nothing on stderr", () => {
    const info = reewatch(["info", "samples/landsat8-c2l2-cloudy-5pct", "--json"]);
    const sim = reewatch(["simulate", "--site", "ganzhou", "--years", "2020-2020", "--resolution", "200", "-o", join(tmp, "sim"), "--json", "-q"]);
    for (const [r, command] of [
      [info, "info"],
      [sim, "simulate"],
    ] as const) {
      expect(r.code, r.stderr).toBe(0);
      const doc = JSON.parse(r.stdout);
      expect(Object.keys(doc).sort()).toEqual(["command", "ok", "peakRssMB", "result", "seconds"]);
      expect([doc.command, doc.ok, typeof doc.seconds]).toEqual([command, true, "number"]);
      // a Node process holds at least its heap and code: tens of MB, and far less than the machine
      expect(doc.peakRssMB).toBeGreaterThan(30);
      expect(doc.peakRssMB).toBeLessThan(4000);
    }
    expect(jsonResult(info).sensor).toBe("landsat-8");
    expect(jsonResult(sim)).toMatchObject({ simulated: true, site: "ganzhou", years: [2020, 2020] });
    expect(sim.stderr).toBe("");
  });

  it("--json on a failure: ok false with the one-line error and exit code; stderr has the same line", () => {
    const r = reewatch(["info", join(tmp, "missing.tif"), "--json"]);
    expect(r.code).not.toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ command: "info", ok: false, exitCode: r.code });
    expect(doc.error).not.toContain("\n");
    expect(r.stderr.trim()).toBe(`reewatch info: ${doc.error}`);
  });

  it("-v adds details: each stage's time after a run", () => {
    const sim = join(tmp, "sim");
    const plain = reewatch(["run", "ganzhou", "--scenes", sim, "-o", join(tmp, "run")]);
    const verbose = reewatch(["run", "ganzhou", "--scenes", sim, "-o", join(tmp, "run-v"), "-v"]);
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stderr).not.toMatch(/^ {2}composite 2020: [\d.]+ s$/m);
    expect(verbose.stderr).toMatch(/^ {2}composite 2020: [\d.]+ s$/m);
  });

  it("-q silences a command's notes, which it prints otherwise", () => {
    const args = ["simulate", "--site", "ganzhou", "--years", "2021-2021", "--resolution", "200", "-o", join(tmp, "sim2")];
    expect(reewatch(args).stderr).toMatch(/SIMULATED \d+ scenes for ganzhou/);
    expect(reewatch([...args, "-q"]).stderr).toBe("");
  });
});
