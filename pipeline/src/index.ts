/**
 * The pipeline's door: everything the CLI and the tile server use from it, and nothing else may be
 * imported from outside pipeline/ (.dependency-cruiser.cjs enforces it). Grouped by the stage
 * folders of pipeline/src (README.md, "Where things live").
 */

export type { Aoi, AoiCrs } from "./aoi/aoi.ts";
export { loadAoi, parseAoi, projectAoi, rasterizeRings, ringsBounds } from "./aoi/aoi.ts";
export { RECOVERY_DEFAULTS } from "./change/recovery-metrics.ts";
export { BadParameter, CorruptFile, MissingBand, OutsideBounds, oneLine, ReewatchError, UnsupportedFormat } from "./errors.ts";
export type { AgreementRule } from "./estimate/agreement.ts";
export { AGREEMENT_RULES, compareLabels, labelsByRule } from "./estimate/agreement.ts";
export { estimateTable, labelEstimateTable } from "./estimate/estimate-table.ts";
export { checkLabelClasses, estimateFromLabels } from "./estimate/labels-estimate.ts";
export type { LabelSheet } from "./estimate/labels-sheet.ts";
export { readLabelSheet } from "./estimate/labels-sheet.ts";
export { olofsson } from "./estimate/olofsson.ts";
export { redrawSample } from "./estimate/redraw.ts";
export { parseStrata, readStrata, SAMPLE_COLUMNS, STRATA_FILE } from "./estimate/sample-sheet.ts";
export type { FetchOptions, FetchSummary } from "./fetch/fetch.ts";
export { fetchScenes } from "./fetch/fetch.ts";
export { fetchProgress } from "./fetch/progress.ts";
export { PLANETARY_TOKEN_URL } from "./fetch/sas-signer.ts";
export type { Season } from "./fetch/season-filter.ts";
export { parseSeason } from "./fetch/season-filter.ts";
export { formatSummary } from "./fetch/summary.ts";
export { invertAffine, resolution, worldToPixel } from "./grid.ts";
export { indexByName } from "./indices/table.ts";
export { maskRuleFor } from "./mask/rule.ts";
export { runEach } from "./parallel/pool.ts";
export { crsDefinition, transformer } from "./project.ts";
export { queueStatus } from "./queue/queue-status.ts";
export { startWorker } from "./queue/queue-worker.ts";
export { runQueued } from "./queue/queued-run.ts";
export type { Grid } from "./raster.ts";
export type { GeoTiff } from "./read/geotiff.ts";
export { openGeoTiff } from "./read/geotiff.ts";
export { openScene } from "./read/open-scene.ts";
export type { RunCatalog, RunItem } from "./read/run-catalog.ts";
export { readRunCatalog } from "./read/run-catalog.ts";
export type { QaKind, SceneReader } from "./read/scene.ts";
export type { TiffImage } from "./read/tiff.ts";
export { BlockCache } from "./read/tiff.ts";
export { colorize, loadColormap } from "./render/colormap.ts";
export { runCompositesChange } from "./run/composites-change.ts";
export type { TargetSpec } from "./run/composites-recovery.ts";
export { runCompositesRecovery } from "./run/composites-recovery.ts";
export { runDemo } from "./run/demo.ts";
export { indicesOfScenes } from "./run/indices-of-scenes.ts";
export { RunManifest } from "./run/manifest.ts";
export { ensureOutDir, writeItemCatalog } from "./run/out-dir.ts";
export { CHANGE_RULES } from "./run/site-change.ts";
export { runSite } from "./run/site-run.ts";
export { simulateSite } from "./simulate/simulate.ts";
export type { Site } from "./site/site.ts";
export { loadSite } from "./site/site.ts";
export { parseClaim } from "./verify/claim.ts";
export { verifyClaim } from "./verify/verify.ts";
export { SOFTWARE_VERSION } from "./version.ts";
export { writeFileAtomic } from "./write/atomic.ts";
export { zoneStats } from "./zonal/zonal.ts";
