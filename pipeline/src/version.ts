import { readFileSync } from "node:fs";

/** The package version, recorded in every output's `processing:software`. */
export const SOFTWARE_VERSION: string = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")).version;
