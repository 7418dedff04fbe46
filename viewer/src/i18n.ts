/** Interface language (English / Simplified Chinese): `t(key)`, bilingual labels, and the static texts of index.html. */
import en from "./i18n/en.json";
import zh from "./i18n/zh.json";

export type Lang = "en" | "zh";
export type Bilingual = { en: string; zh: string };

const TEXT: Record<Lang, Record<string, string>> = { en, zh };
let lang: Lang = "en";

export const getLang = (): Lang => lang;

export function setLang(l: Lang): void {
  lang = l;
  document.documentElement.lang = l === "zh" ? "zh-CN" : "en";
}

/** The text of `key` in the current language, `{name}` placeholders filled from `vars`. */
export function t(key: string, vars: Record<string, string | number> = {}): string {
  const s = TEXT[lang][key] ?? TEXT.en[key] ?? key;
  return s.replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m));
}

/** A bilingual label in the current language; the English text when the Chinese one is missing or untranslated. */
export function pick(b: Partial<Bilingual> | undefined, fallback = ""): string {
  return (lang === "zh" ? b?.zh || b?.en : b?.en) || fallback;
}

/** Fills every `data-i18n` (text), `data-i18n-aria` (aria-label) and `data-i18n-title` (title) under `root`. */
export function applyStatic(root: ParentNode = document): void {
  for (const el of root.querySelectorAll<HTMLElement>("[data-i18n]")) el.textContent = t(el.dataset.i18n!);
  for (const el of root.querySelectorAll<HTMLElement>("[data-i18n-aria]")) el.setAttribute("aria-label", t(el.dataset.i18nAria!));
  for (const el of root.querySelectorAll<HTMLElement>("[data-i18n-title]")) el.title = t(el.dataset.i18nTitle!);
}

/** Keys present in one language file and missing in the other (for the parity test). */
export function missingKeys(): { en: string[]; zh: string[] } {
  return {
    en: Object.keys(zh).filter((k) => !(k in en)),
    zh: Object.keys(en).filter((k) => !(k in zh)),
  };
}
