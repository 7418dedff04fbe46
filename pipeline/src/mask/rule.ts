/**
 * Cloud and quality mask rules (docs/science.md: Masks), a registry keyed by QA kind.
 * Sentinel-2 SCL: invalid classes (default 0 no data, 1 saturated/defective, 3 cloud shadow,
 * 8/9 cloud medium/high probability, 10 thin cirrus). Landsat C2 QA_PIXEL: invalid when any of the
 * listed bits is set (default 0 fill, 1 dilated cloud, 2 cirrus, 3 cloud, 4 cloud shadow).
 */
import { BadParameter } from "../errors.ts";
import type { QaKind } from "../read/scene.ts";

export interface MaskRule {
  kind: QaKind;
  description: string;
  /** ANDs the rule into `valid` (1 valid, 0 masked). */
  apply(qa: Uint16Array, valid: Uint8Array): void;
}

export const DEFAULT_SCL_INVALID = [0, 1, 3, 8, 9, 10];
export const DEFAULT_QA_PIXEL_BITS = [0, 1, 2, 3, 4];

export const SCL_NAMES = [
  "no data",
  "saturated/defective",
  "dark area",
  "cloud shadow",
  "vegetation",
  "not vegetated",
  "water",
  "unclassified",
  "cloud medium probability",
  "cloud high probability",
  "thin cirrus",
  "snow",
];

export function sclRule(invalid: number[]): MaskRule {
  const lut = new Uint8Array(256).fill(1);
  for (const c of invalid) lut[c] = 0;
  return {
    kind: "s2-scl",
    description: `Sentinel-2 SCL classes masked: ${invalid.map((c) => `${c} (${SCL_NAMES[c] ?? "?"})`).join(", ")}`,
    apply(qa, valid) {
      for (let i = 0; i < qa.length; i++) valid[i]! &= lut[qa[i]! & 0xff]!;
    },
  };
}

export function qaPixelRule(bits: number[]): MaskRule {
  const mask = bits.reduce((m, b) => m | (1 << b), 0);
  return {
    kind: "landsat-qa-pixel",
    description: `Landsat QA_PIXEL bits masked: ${bits.join(", ")} (0 fill, 1 dilated cloud, 2 cirrus, 3 cloud, 4 cloud shadow, 5 snow)`,
    apply(qa, valid) {
      for (let i = 0; i < qa.length; i++) if (qa[i]! & mask) valid[i] = 0;
    },
  };
}

/** spec: "default" | "none" | "scl:0,1,3,8,9,10" | "qa:0,1,2,3,4". */
export function maskRuleFor(kind: QaKind, spec = "default"): MaskRule {
  if (spec === "none") return { kind, description: "no cloud mask (--mask none)", apply() {} };
  if (spec === "default") return kind === "s2-scl" ? sclRule(DEFAULT_SCL_INVALID) : qaPixelRule(DEFAULT_QA_PIXEL_BITS);
  const m = /^(scl|qa):([\d,\s]+)$/.exec(spec);
  if (!m) throw new BadParameter(`--mask ${spec}: expected default, none, scl:<classes> or qa:<bits>`);
  const values = m[2]!.split(",").map((s) => Number(s.trim()));
  const max = m[1] === "scl" ? 11 : 15;
  if (values.some((v) => !Number.isInteger(v) || v < 0 || v > max)) throw new BadParameter(`--mask ${spec}: values must be integers 0..${max}`);
  if ((m[1] === "scl") !== (kind === "s2-scl")) throw new BadParameter(`--mask ${spec}: this scene's QA band is ${kind}`);
  return m[1] === "scl" ? sclRule(values) : qaPixelRule(values);
}

/** Landsat QA_RADSAT: any saturated band makes the pixel invalid. */
export function applyRadsat(radsat: Uint16Array, valid: Uint8Array): void {
  for (let i = 0; i < radsat.length; i++) if (radsat[i] !== 0) valid[i] = 0;
}
