// Generated from kernels.wat by `npx tsx pipeline/src/indices/simd/build.ts`; do not edit.
// The test simd.test.ts checks that this matches a fresh compile of kernels.wat.
export const KERNELS_WASM_BASE64 =
  "AGFzbQEAAAABCAFgBH9/f38AAg8BA2VudgZtZW1vcnkCAAEDAgEABwYBAm5kAAAKjQEBigEDAX8EewF/IANBAnQhCQJAA0AgBCAJTw0BIAAgBGr9AAQAIQUgASAEav0ABAAhBiAFIAb95AEhByAFIAb95QEgB/3nASEIIAIgBGogCP0MAADAfwAAwH8AAMB/AADAfyAH/eAB/Qz/5tsu/+bbLv/m2y7/5tsu/Ub9Uv0LBAAgBEEQaiEEDAALCws=";
