// The entry of the tile-rendering worker threads (render-pool.ts). Worker threads do not inherit
// the tsx loader that bin/reewatch.js registers in the main thread, so each registers it first.
import { register } from "tsx/esm/api";

register();
const { renderTileTask } = await import("./render-pool.ts");
export default renderTileTask;
