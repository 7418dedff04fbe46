import { describe, expect, it } from "vitest";
import { baselineOffsetDn, toDn } from "./encode.ts";

describe("L2A digital numbers", () => {
  it("adds 1000 DN from processing baseline 04.00 on, none before", () => {
    expect(baselineOffsetDn("02.14")).toBe(0);
    expect(baselineOffsetDn("03.00")).toBe(0);
    expect(baselineOffsetDn("04.00")).toBe(1000);
    expect(baselineOffsetDn("05.11")).toBe(1000);
  });

  it("encodes reflectance by hand: round(r * 10000) + offset, 0 only for no data", () => {
    const r = Float32Array.from([0.1234, 0.0005, -0.0005, Number.NaN, 7]);
    expect([...toDn(r, 0)]).toEqual([1234, 5, 1, 0, 65535]);
    expect([...toDn(r, 1000)]).toEqual([2234, 1005, 995, 0, 65535]);
  });
});
