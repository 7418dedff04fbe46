/**
 * The fixed words of a claim report in English and Chinese (report.html, report.zh.html). What the
 * run computed in words (the operational definition, notes) stays in English in both, and the
 * Chinese report says so: a translation of those would be a second source of truth.
 */
import { fmt, type Verdict, type VerdictInput } from "./verdict.ts";

export type Lang = "en" | "zh";

export interface ReportText {
  htmlLang: string;
  file: string;
  other: { label: string; file: string };
  simulatedBanner: string;
  claim: string;
  verdict: Record<Verdict, string>;
  measured: string;
  mapped: (value: string, unit: string) => string;
  definition: string;
  englishOnly: string;
  maps: string;
  noMaps: string;
  overTime: (label: string) => string;
  maskedHeading: string;
  year: string;
  masked: string;
  notes: string;
  provenance: string;
  provenanceFull: string;
  claimAsSubmitted: string;
  labels: {
    heading: string;
    file: string;
    map: string;
    points: (inZone: number, labelled: number, unlabelled: number, outside: number) => string;
    labellers: string;
    unnamed: string;
    blind: (b: boolean | null) => string;
    sampleMap: string;
    legend: { agree: string; disagree: string; unlabelled: string };
    areas: string;
    classHead: [string, string, string, string, string, string];
    matrix: string;
    matrixCorner: string;
    overall: string;
    noEstimate: string;
  };
}

export const REPORT_TEXT: Record<Lang, ReportText> = {
  en: {
    htmlLang: "en",
    file: "report.html",
    other: { label: "中文版", file: "report.zh.html" },
    simulatedBanner: "SIMULATED DATA: this report is computed on simulated scenes, not satellite observations.",
    claim: "Claim",
    verdict: { supported: "Supported", not_supported: "Not supported", inconclusive: "Inconclusive" },
    measured: "Measured",
    mapped: (v, u) => `Mapped (the map's own pixel count in the zone): ${v} ${u}`,
    definition: "Operational definition",
    englishOnly: "",
    maps: "Maps",
    noMaps: "No maps.",
    overTime: (label) => `${label} over time, zone against control`,
    maskedHeading: "Masked fraction per year",
    year: "year",
    masked: "masked",
    notes: "Notes and limits",
    provenance: "Provenance",
    provenanceFull: "Full provenance (inputs with SHA-256, parameters)",
    claimAsSubmitted: "Claim as submitted",
    labels: {
      heading: "Reference labels",
      file: "Label sheet",
      map: "Classified map",
      points: (z, l, u, o) => `${z} sample points inside the zone: ${l} labelled, ${u} not labelled; ${o} more lie outside the zone.`,
      labellers: "Labelled by",
      unnamed: "(not named)",
      blind: (b) =>
        b === true
          ? "Blind: the map class was hidden from the labellers."
          : b === false
            ? "NOT blind: the map class was shown for some points."
            : "Whether the map class was shown is not recorded.",
      sampleMap: "Sample points over the classified map (zone outlined)",
      legend: { agree: "label = map class", disagree: "label differs from the map", unlabelled: "not labelled" },
      areas: "Mapped and estimated area per class (inside the zone)",
      classHead: ["class", "mapped km²", "estimated km²", "95 % CI", "user's accuracy", "producer's accuracy"],
      matrix: "Error matrix (sample counts; rows = map class, columns = label)",
      matrixCorner: "map \\ label",
      overall: "Overall accuracy",
      noEstimate: "No estimate inside the zone",
    },
  },
  zh: {
    htmlLang: "zh-CN",
    file: "report.zh.html",
    other: { label: "English", file: "report.html" },
    simulatedBanner: "模拟数据：本报告基于模拟影像，并非真实卫星观测。",
    claim: "声明",
    verdict: { supported: "成立", not_supported: "不成立", inconclusive: "无法判定" },
    measured: "测量结果",
    mapped: (v, u) => `制图值（区域内分类图的像元计数）：${v} ${u}`,
    definition: "操作定义",
    englishOnly: "以下定义与备注为英文原文，由运行结果生成。",
    maps: "地图",
    noMaps: "无地图。",
    overTime: (label) => `${label} 随时间变化：评估区与对照区`,
    maskedHeading: "各年被掩膜的比例",
    year: "年份",
    masked: "掩膜比例",
    notes: "备注与局限",
    provenance: "来源与可复现信息",
    provenanceFull: "完整来源记录（输入文件及 SHA-256、参数）",
    claimAsSubmitted: "提交的声明原文",
    labels: {
      heading: "参考标注",
      file: "标注表",
      map: "分类图",
      points: (z, l, u, o) => `评估区内共有 ${z} 个样本点：已标注 ${l} 个，未标注 ${u} 个；另有 ${o} 个位于评估区外。`,
      labellers: "标注人",
      unnamed: "（未署名）",
      blind: (b) =>
        b === true ? "盲标注：标注时未显示分类图类别。" : b === false ? "非盲标注：部分样本点标注时显示了分类图类别。" : "未记录标注时是否显示了分类图类别。",
      sampleMap: "分类图上的样本点（评估区已勾勒）",
      legend: { agree: "标注与分类图一致", disagree: "标注与分类图不一致", unlabelled: "未标注" },
      areas: "各类别的制图面积与估计面积（评估区内）",
      classHead: ["类别", "制图面积 km²", "估计面积 km²", "95% 置信区间", "用户精度", "生产者精度"],
      matrix: "误差矩阵（样本计数；行为分类图类别，列为标注类别）",
      matrixCorner: "分类图 \\ 标注",
      overall: "总体精度",
      noEstimate: "评估区内无法估计",
    },
  },
};

/** The verdict's reason in Chinese, from the verdict decideVerdict gave and the same numbers. */
export function reasonZh(v: { verdict: Verdict; thinEvidence: boolean }, input: VerdictInput): string {
  if (v.thinEvidence) return `有效观测过少（${input.validCount} < ${input.minValid}）`;
  const range = `[${fmt(input.measured.ci95[0])}, ${fmt(input.measured.ci95[1])}]`;
  if (v.verdict === "supported") return `整个 95% 置信区间 ${range} 满足 ${input.comparator} ${fmt(input.threshold)}`;
  if (v.verdict === "not_supported") return `整个 95% 置信区间 ${range} 不满足 ${input.comparator} ${fmt(input.threshold)}`;
  return `95% 置信区间 ${range} 跨越阈值 ${fmt(input.threshold)}`;
}
