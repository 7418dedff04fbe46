/** Compiles kernels.wat (with the wabt package, a dev dependency) to the committed kernels.wasm.ts. */
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export async function compileKernels(): Promise<string> {
  const { default: wabtInit } = await import("wabt");
  const wabt = await wabtInit();
  const wat = readFileSync(fileURLToPath(new URL("./kernels.wat", import.meta.url)), "utf8");
  const mod = wabt.parseWat("kernels.wat", wat, { simd: true });
  return Buffer.from(mod.toBinary({}).buffer).toString("base64");
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const b64 = await compileKernels();
  const body = `// Generated from kernels.wat by \`npx tsx pipeline/src/indices/simd/build.ts\`; do not edit.\n// The test simd.test.ts checks that this matches a fresh compile of kernels.wat.\nexport const KERNELS_WASM_BASE64 = "${b64}";\n`;
  writeFileSync(fileURLToPath(new URL("./kernels.wasm.ts", import.meta.url)), body);
}
