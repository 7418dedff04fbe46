import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runEach } from "./pool.ts";

const dir = mkdtempSync(join(tmpdir(), "reewatch-pool-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const module = new URL("./pool-fixture.ts", import.meta.url);

describe("runEach", () => {
  it("returns the results in the order of the tasks", async () => {
    const files = ["a", "b", "c"].map((n) => join(dir, n));
    const tasks = files.map((write, i) => ({ write, afterMs: 100 * (3 - i) }));
    expect(await runEach({ module, fn: "failOrWrite", tasks, jobs: 2 })).toEqual(files);
  });

  it("lets every task end before it throws the first failure: a slow task still writes its file", async () => {
    const slow = join(dir, "slow");
    const tasks = [{ fail: "first task failed" }, { write: slow, afterMs: 400 }];
    await expect(runEach({ module, fn: "failOrWrite", tasks, jobs: 2 })).rejects.toThrow("first task failed");
    expect(existsSync(slow)).toBe(true);
  });
});
