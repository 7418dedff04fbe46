/** `name@version` of a dependency as pinned (exactly) in package.json, for provenance records. */
import { readFileSync } from "node:fs";

const pins: Record<string, string> = JSON.parse(readFileSync(new URL("../../../package.json", import.meta.url), "utf8")).dependencies;

export function library(name: string): string {
  return `${name}@${pins[name] ?? "unpinned"}`;
}
