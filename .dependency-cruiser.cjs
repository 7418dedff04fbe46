/**
 * The layers of reewatch, enforced in CI (`npm run lint:layers`, run by .ci/run):
 * cli -> tiles -> pipeline; the viewer talks to tiles over HTTP and shares only common/ (types,
 * colour-map definitions) with them. Other layers enter pipeline/ and tiles/ through their
 * index.ts doors only. Tests and benchmarks may reach anything and are not checked.
 */
module.exports = {
  forbidden: [
    {
      name: "no-circular",
      severity: "error",
      comment: "import cycles (type-only imports vanish at run time and do not count)",
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ["type-only"] } },
    },
    {
      name: "pipeline-is-the-bottom",
      severity: "error",
      comment: "pipeline/ imports neither tiles, viewer nor cli",
      from: { path: "^pipeline/" },
      to: { path: "^(tiles|viewer|cli)/" },
    },
    {
      name: "tiles-below-cli-and-viewer",
      severity: "error",
      comment: "tiles/ never imports viewer or cli",
      from: { path: "^tiles/" },
      to: { path: "^(viewer|cli)/" },
    },
    {
      name: "viewer-over-http",
      severity: "error",
      comment: "the viewer imports nothing from pipeline, tiles or cli: it talks to tiles over HTTP and shares common/",
      from: { path: "^viewer/" },
      to: { path: "^(pipeline|tiles|cli)/" },
    },
    {
      name: "common-is-shared-ground",
      severity: "error",
      comment: "common/ holds types and data the layers share; it imports no layer",
      from: { path: "^common/" },
      to: { path: "^(pipeline|tiles|viewer|cli)/" },
    },
    {
      name: "pipeline-door",
      severity: "error",
      comment: "outside pipeline/, only pipeline/src/index.ts is imported",
      from: { path: "^(tiles|cli|viewer|common)/" },
      to: { path: "^pipeline/", pathNot: "^pipeline/src/index\\.ts$" },
    },
    {
      name: "tiles-door",
      severity: "error",
      comment: "outside tiles/, only tiles/src/index.ts is imported",
      from: { path: "^(cli|viewer|common)/" },
      to: { path: "^tiles/", pathNot: "^tiles/src/index\\.ts$" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "(^|/)(node_modules|dist)/|\\.test\\.ts$" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
  },
};
