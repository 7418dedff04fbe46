import { Command, Option } from "commander";
import { resolution } from "../grid.ts";
import { qaFractions } from "../mask/fraction.ts";
import { openScene } from "../read/open-scene.ts";

export function command(): Command {
  return new Command("info")
    .description("describe a scene: sensor, product id, date, CRS, size, resolution, bands, scale/offset, cloud fraction from QA")
    .argument("<scene>", "STAC item JSON, scene folder, Landsat tarball or multiband stack")
    .addOption(new Option("--nir <band>", "Sentinel-2 NIR band").choices(["B08", "B8A"]))
    .option("--json", "print JSON on stdout")
    .action(async (path: string, opts) => {
      const scene = await openScene(path, opts.nir ? { nir: opts.nir } : {});
      try {
        const win = { x: 0, y: 0, width: scene.grid.width, height: scene.grid.height };
        const qa = scene.qa ? await scene.readQa(win) : undefined;
        const fractions = qa && scene.qa ? qaFractions(scene.qa.kind, qa) : undefined;
        const info = {
          id: scene.id,
          sensor: scene.sensor,
          datetime: scene.datetime,
          simulated: scene.simulated,
          crs: scene.grid.crs,
          size: [scene.grid.width, scene.grid.height],
          resolution: resolution(scene.grid),
          transform: scene.grid.transform,
          nirBand: scene.nirBand,
          bands: Object.fromEntries(
            Object.entries(scene.bands).map(([k, b]) => [
              k,
              {
                band: b!.name,
                file: b!.href,
                resolution: resolution(b!.grid)[0],
                scale: b!.scale,
                offset: b!.offset,
                scaleSource: b!.scaleSource,
              },
            ]),
          ),
          qa: scene.qa ? { kind: scene.qa.kind, file: scene.qa.href } : null,
          cloudCoverProvider: scene.cloudCover ?? null,
          qaFractions: fractions ?? null,
          metadata: scene.metadata,
        };
        if (opts.json) {
          process.stdout.write(`${JSON.stringify(info, null, 2)}\n`);
          return;
        }
        const pct = (v: number) => `${(100 * v).toFixed(2)} %`;
        const lines = [
          `${info.simulated ? "SIMULATED " : ""}${info.sensor}  ${info.id}`,
          `date        ${info.datetime}`,
          `grid        ${info.crs}  ${info.size[0]} x ${info.size[1]} px  ${info.resolution[0]} m  origin ${info.transform[2]}, ${info.transform[5]}`,
          `NIR band    ${info.nirBand}`,
          "bands",
          ...Object.entries(info.bands).map(
            ([k, b]) => `  ${k.padEnd(3)} ${b.band.padEnd(7)} ${String(b.resolution).padStart(4)} m  x ${b.scale} + ${b.offset}  (${b.scaleSource})`,
          ),
          `QA          ${info.qa ? `${info.qa.kind} ${info.qa.file}` : "none"}`,
          ...(fractions
            ? [
                `cloud       ${pct(fractions.cloud)} cloud, ${pct(fractions.shadow)} shadow, ${pct(fractions.cirrus)} cirrus, ${pct(fractions.snow)} snow, ${pct(fractions.fill)} fill; ${pct(fractions.cloudOrShadowOfData)} of data pixels cloud/shadow`,
              ]
            : []),
          `provider    cloud cover ${info.cloudCoverProvider ?? "unknown"} %`,
        ];
        process.stdout.write(`${lines.join("\n")}\n`);
      } finally {
        await scene.close();
      }
    });
}
