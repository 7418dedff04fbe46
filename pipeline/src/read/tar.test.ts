/** The tar reader against archives made by the system's tar (GNU tar, ustar format). */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { CorruptFile } from "../errors.ts";
import { readTar } from "./tar.ts";

const dir = mkdtempSync(join(tmpdir(), "reewatch-tar-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const src = join(dir, "src");
mkdirSync(join(src, "sub"), { recursive: true });
const long = `${"d".repeat(90)}/${"f".repeat(60)}.TIF`; // > 100 bytes: needs the ustar prefix field
mkdirSync(join(src, "d".repeat(90)));
const files: Record<string, Uint8Array> = {
  "a_MTL.txt": new TextEncoder().encode("GROUP = X\nEND\n"),
  "sub/b.bin": Uint8Array.from({ length: 1537 }, (_, i) => (i * 7) & 255),
  "empty.txt": new Uint8Array(0),
  [long]: new Uint8Array([1, 2, 3]),
};
for (const [n, b] of Object.entries(files)) writeFileSync(join(src, n), b);

describe("tar reader", () => {
  for (const [flags, ext] of [
    ["-cf", "tar"],
    ["-czf", "tar.gz"],
  ] as const) {
    it(`reads every regular file of a ${ext} made by tar --format=ustar`, async () => {
      const p = join(dir, `x.${ext}`);
      execFileSync("tar", ["--format=ustar", flags, p, "-C", src, ...Object.keys(files)]);
      const got = await readTar(p);
      expect([...got.keys()].sort()).toEqual(Object.keys(files).sort());
      for (const [n, b] of Object.entries(files)) expect(Buffer.from(got.get(n)!).equals(Buffer.from(b))).toBe(true);
    });
  }

  it("a truncated archive is CorruptFile naming the file", async () => {
    const p = join(dir, "x.tar");
    const cut = join(dir, "cut.tar");
    writeFileSync(cut, readFileSync(p).subarray(0, 1200));
    await expect(readTar(cut)).rejects.toThrow(CorruptFile);
    await expect(readTar(cut)).rejects.toThrow(`${cut}: tar archive ends without its end-of-archive block at byte 1024: truncated`);
    writeFileSync(cut, readFileSync(p).subarray(0, 2000));
    await expect(readTar(cut)).rejects.toThrow(`${cut}: tar member "sub/b.bin" runs past the end of the archive: truncated`);
    const bad = Buffer.from(readFileSync(p));
    bad[0]! ^= 1;
    writeFileSync(cut, bad);
    await expect(readTar(cut)).rejects.toThrow(`${cut}: tar header at byte 0 fails its checksum`);
    const gz = join(dir, "cut.tar.gz");
    writeFileSync(gz, readFileSync(join(dir, "x.tar.gz")).subarray(0, 100));
    await expect(readTar(gz)).rejects.toThrow(new RegExp(`^${gz}: gzip data is corrupt or truncated`));
  });
});
