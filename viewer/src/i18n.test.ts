import { describe, expect, it } from "vitest";
import { incompleteEntries } from "./explainers.ts";
import en from "./i18n/en.json";
import zh from "./i18n/zh.json";
import { missingKeys } from "./i18n.ts";

describe("interface texts", () => {
  it("has every key in English and Chinese", () => {
    expect(missingKeys()).toEqual({ en: [], zh: [] });
  });

  it("uses the same {placeholders} in both languages", () => {
    const holes = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    const zhText = zh as Record<string, string>;
    const differ = Object.entries(en as Record<string, string>).filter(([k, v]) => JSON.stringify(holes(v)) !== JSON.stringify(holes(zhText[k] ?? "")));
    expect(differ).toEqual([]);
  });

  it("explains every product in both languages, what it shows and what it cannot tell", () => {
    expect(incompleteEntries()).toEqual([]);
  });
});
