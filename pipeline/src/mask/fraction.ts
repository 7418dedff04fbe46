/** Cloud, shadow, snow and fill fractions of a QA band, for `reewatch info` and product metadata. */
import type { QaKind } from "../read/scene.ts";

export interface QaFractions {
  fill: number;
  cloud: number;
  shadow: number;
  cirrus: number;
  snow: number;
  /** Share of non-fill pixels flagged cloud, cirrus or shadow. */
  cloudOrShadowOfData: number;
}

export function qaFractions(kind: QaKind, qa: Uint16Array): QaFractions {
  const c = { fill: 0, cloud: 0, shadow: 0, cirrus: 0, snow: 0, bad: 0 };
  for (let i = 0; i < qa.length; i++) {
    const v = qa[i]!;
    if (kind === "s2-scl") {
      if (v === 0) c.fill++;
      else if (v === 8 || v === 9) c.cloud++;
      else if (v === 3) c.shadow++;
      else if (v === 10) c.cirrus++;
      else if (v === 11) c.snow++;
      if (v === 3 || v === 8 || v === 9 || v === 10) c.bad++;
    } else {
      if (v & 1) {
        c.fill++;
        continue;
      }
      const cloud = (v & 0b1010) !== 0; // bit 1 dilated cloud, bit 3 cloud
      if (cloud) c.cloud++;
      if (v & 0b10000) c.shadow++;
      if (v & 0b100) c.cirrus++;
      if (v & 0b100000) c.snow++;
      if (v & 0b11110) c.bad++;
    }
  }
  const n = qa.length || 1;
  const data = qa.length - c.fill;
  return {
    fill: c.fill / n,
    cloud: c.cloud / n,
    shadow: c.shadow / n,
    cirrus: c.cirrus / n,
    snow: c.snow / n,
    cloudOrShadowOfData: data ? c.bad / data : 1,
  };
}
