/**
 * The model sequence of one series, LandTrendr's steps 1-4 (Kennedy et al. 2010; the IDL tbcd_v2
 * routine): despike, find and cull candidate vertices, then from the most complex model down to
 * one segment fit, F-test and simplify; choose among the anchored-trace models and, on demand,
 * among the least-squares models the reference falls back to when the anchored choice fails.
 * The significance decision (against pvalThreshold) is the caller's: segment.ts.
 */
import { desawtooth } from "./desawtooth.ts";
import type { SegmentParams, SegmentVariant } from "./segment.ts";
import { anchoredTrace, fTest, leastSquaresTrace, type Trace, weakestVertex } from "./segment-fit.ts";
import { refineVertices } from "./segment-refine.ts";
import { chooseModel, recoveryAllowed, simplerVertices } from "./segment-select.ts";
import { candidateVertices, cullVertices } from "./segment-vertices.ts";

/** A model: vertex indices, its fitted trace, its p-value (1 when it broke a recovery rule). */
export interface Model {
  v: number[];
  trace: Trace;
  p: number;
}

export interface Evaluation {
  /** The series after spike dampening. */
  despiked: Float64Array;
  /** The series the models were fitted to (the despiked one, unless violators were interpolated). */
  y: Float64Array;
  /** The model chosen among the anchored-trace models. */
  anchored: Model;
  /** The model chosen among the least-squares models (computed when called). */
  leastSquares: () => Model;
}

/** F-test parameter count of a model with nv vertices. */
function parameters(nv: number, df: SegmentVariant["fTestDf"]): number {
  if (df === "reference") return 2 * nv - 2;
  return df === "breakpoints" ? 2 * nv - 3 : nv - 1;
}

export function evaluate(years: number[], values: ArrayLike<number>, prm: SegmentParams, variant: SegmentVariant): Evaluation {
  const despiked = desawtooth(values, prm.spikeThreshold, undefined, variant.despikeFinalStep);
  const y = Float64Array.from(despiked);
  const found = candidateVertices(years, y, prm.maxSegments + 1 + prm.vertexCountOvershoot, prm.preventOneYearRecovery);
  const vertices = cullVertices(years, y, found, prm.maxSegments + 1, variant.cullScore);
  // The IDL passes its series by reference, so an observation interpolated while dropping a
  // recovery-rule violator stays interpolated for every later model; by default we fit a copy.
  const violatorSeries = () => (variant.interpolateViolators ? y : Float64Array.from(y));

  /** Models from the full vertex set down to one segment, most complex first. */
  const sequence = (fitTrace: (v: number[]) => Trace, simpler: (v: number[], tr: Trace) => number[]): Model[] => {
    const out: Model[] = [];
    for (let v0 = vertices; ; v0 = simpler(out.at(-1)!.v, out.at(-1)!.trace)) {
      const v = variant.refineVertices ? refineVertices(y, v0, fitTrace) : v0;
      const trace = fitTrace(v);
      out.push({ v, trace, p: fTest(y, trace.fit, parameters(v.length, variant.fTestDf)).p });
      if (v.length <= 2) return out;
    }
  };
  const pick = (ms: Model[]): Model => {
    const allowed = (j: number) => recoveryAllowed(years, ms[j]!.v, ms[j]!.trace, prm, variant.oneYearRecoveryModels);
    const c = chooseModel(
      ms.map((m) => m.p),
      allowed,
      prm.bestModelProportion,
    );
    return { ...ms[c.index]!, p: c.p };
  };
  const anchored = pick(
    sequence(
      (v) => anchoredTrace(years, y, v),
      (v, tr) => simplerVertices(years, violatorSeries(), v, tr, prm.recoveryThreshold),
    ),
  );
  const leastSquares = () =>
    pick(
      sequence(
        (v) => leastSquaresTrace(years, y, v),
        (v, tr) => v.filter((_, j) => j !== weakestVertex(years, y, v, tr.vertexValues)),
      ),
    );
  return { despiked, y, anchored, leastSquares };
}
