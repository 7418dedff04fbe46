import { describe, expect, it } from "vitest";
import { classifyScl, type SclInputs } from "./scl.ts";
import { ENDMEMBERS, type Endmember } from "./spectra.ts";

/** One pixel per case: a surface endmember plus the planted fields. */
function pixels(
  cases: { surface: Endmember; water?: number; cloud?: number; shadow?: number; cirrus?: number; snow?: number; fc?: number; nodata?: number }[],
): SclInputs {
  const col = (f: (c: (typeof cases)[number]) => number) => Float32Array.from(cases, f);
  return {
    surface: [0, 1, 2, 3, 4, 5, 6].map((k) => col((c) => ENDMEMBERS[c.surface][k]!)),
    water: col((c) => c.water ?? 0),
    cloud: col((c) => c.cloud ?? 0),
    shadow: col((c) => c.shadow ?? 0),
    cirrus: col((c) => c.cirrus ?? 0),
    snow: col((c) => c.snow ?? 0),
    falseCloud: col((c) => c.fc ?? 0),
    nodata: Uint8Array.from(cases, (c) => c.nodata ?? 0),
  };
}

describe("SCL of simulated scenes", () => {
  it("follows the planted fields, in order of precedence", () => {
    const p = pixels([
      { surface: "steppe", nodata: 1, cloud: 1 },
      { surface: "steppe", cloud: 0.6 },
      { surface: "steppe", cloud: 0.2 },
      { surface: "steppe", cloud: 0.02, cirrus: 0.5 },
      { surface: "steppe", shadow: 0.2, snow: 1 },
      { surface: "rock", snow: 0.6 },
      { surface: "water", water: 0.6 },
      { surface: "steppe" },
      { surface: "rock" },
      { surface: "steppe", cirrus: 0.3, shadow: 0.1 },
    ]);
    expect([...classifyScl(p, false)]).toEqual([0, 9, 8, 10, 3, 11, 6, 4, 5, 4]);
  });

  it("flags bright bare ground and turbid water as cloud in false-cloud patches only when the scene has them", () => {
    // Visible mean: rock (0.14 + 0.165 + 0.19) / 3 = 0.165 -> 8; tailings 0.277 -> 9; chestnut soil 0.14 < 0.15 stays 5.
    const p = pixels([
      { surface: "rock", fc: 1 },
      { surface: "tailings", fc: 1 },
      { surface: "soilSteppe", fc: 1 },
      { surface: "water", water: 1, fc: 1 },
      { surface: "rock", fc: 0 },
      { surface: "steppe", fc: 1 },
    ]);
    expect([...classifyScl(p, true)]).toEqual([8, 9, 5, 8, 5, 4]);
    expect([...classifyScl(p, false)]).toEqual([5, 5, 5, 6, 5, 4]);
  });
});
