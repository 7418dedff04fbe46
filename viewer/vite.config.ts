import { defineConfig } from "vite";

// Relative asset paths so the built viewer works from any folder of a static host.
export default defineConfig({
  root: import.meta.dirname,
  base: "./",
  worker: { format: "es" },
  build: { outDir: "dist", emptyOutDir: true, chunkSizeWarningLimit: 2000 },
});
