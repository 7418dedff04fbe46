/**
 * The tile server's door: what the CLI uses from tiles/ (.dependency-cruiser.cjs enforces that it
 * is the only one).
 */
export { exportStatic } from "./export-static.ts";
export type { Served } from "./server.ts";
export { startServer, VIEWER_DIST } from "./server.ts";
