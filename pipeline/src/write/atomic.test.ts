import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ReewatchError } from "../errors.ts";
import { checkWritableDir, tempPathFor, writeFileAtomic } from "./atomic.ts";

const dir = mkdtempSync(join(tmpdir(), "reewatch-atomic-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("atomic writes", () => {
  it("temporary paths sit in the same directory, hidden and unique", () => {
    const p = join(dir, "run.json");
    const a = tempPathFor(p);
    expect(dirname(a)).toBe(dir);
    expect(a).toMatch(/\/\.run\.json\.\d+\.[0-9a-f]{8}\.tmp$/);
    expect(tempPathFor(p)).not.toBe(a);
  });

  it("writes, replaces, and leaves only the target behind", async () => {
    const sub = join(dir, "w");
    mkdirSync(sub);
    const p = join(sub, "item.json");
    await writeFileAtomic(p, "first");
    await writeFileAtomic(p, new TextEncoder().encode("second"));
    expect(readFileSync(p, "utf8")).toBe("second");
    expect(readdirSync(sub)).toEqual(["item.json"]);
  });

  it("one-line errors name the path and the cause; no temporary file is left", async () => {
    writeFileSync(join(dir, "file"), "x");
    const cases: [string, RegExp][] = [
      [join(dir, "missing", "a.json"), /a\.json: cannot write: directory .*missing does not exist \(ENOENT\)/],
      [join(dir, "file", "a.json"), /a\.json: cannot write: .*file is not a directory \(ENOTDIR\)/],
    ];
    for (const [p, re] of cases) {
      const err = await writeFileAtomic(p, "x").catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ReewatchError);
      expect((err as Error).message).toMatch(re);
      expect((err as Error).message).not.toContain("\n");
    }
    mkdirSync(join(dir, "target.json"));
    await expect(writeFileAtomic(join(dir, "target.json"), "x")).rejects.toThrow(/target\.json: cannot write \(EISDIR\)/);
    expect(readdirSync(dir).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });

  it("checkWritableDir accepts a directory and names what is wrong otherwise", async () => {
    await expect(checkWritableDir(dir, "x.tif")).resolves.toBeUndefined();
    await expect(checkWritableDir(join(dir, "nope"), "x.tif")).rejects.toThrow(/^x\.tif: cannot write: directory .*nope does not exist \(ENOENT\)$/);
  });
});
