import { describe, expect, it } from "vitest";
import { readState, toSearch } from "./state-url.ts";

describe("view state in the URL", () => {
  it("round-trips every field", () => {
    const s = readState("?site=ganzhou&product=ndvi&year=2020&swipe=2016,2024&map=12.5/24.91/115.07&lang=zh&osm=1&opacity=0.8");
    expect(s).toEqual({
      site: "ganzhou",
      product: "ndvi",
      year: "2020",
      swipe: ["2016", "2024"],
      map: [12.5, 24.91, 115.07],
      lang: "zh",
      osm: true,
      opacity: 0.8,
    });
    expect(toSearch(s)).toBe("?site=ganzhou&product=ndvi&year=2020&swipe=2016,2024&map=12.50/24.91000/115.07000&lang=zh&osm=1&opacity=0.80");
    expect(readState(toSearch(s))).toEqual(s);
  });

  it("keeps ISO dates and the timeless date '-'", () => {
    expect(readState("?year=-&swipe=2019-01-14,2019-01-30")).toMatchObject({ year: "-", swipe: ["2019-01-14", "2019-01-30"] });
  });

  it("drops malformed values instead of trusting them", () => {
    const s = readState("?site=../x&product=NDVI%3Cb%3E&year=20x&swipe=2016&map=12/95/10&lang=fr&opacity=7");
    expect(s).toEqual({ lang: "en", osm: false, opacity: 1 });
    expect(readState("?opacity=-3&map=a/b/c").opacity).toBe(0);
  });

  it("writes defaults minimally", () => {
    expect(toSearch({ lang: "en", osm: false, opacity: 1 })).toBe("?lang=en");
  });
});
