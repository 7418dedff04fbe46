/**
 * run.json: what went in (ids, paths, SHA-256), the parameters, the software version, start/end
 * and per-stage timings, and warnings. Enough to reproduce any output of the run.
 */

import { SOFTWARE_VERSION } from "../version.ts";
import { writeFileAtomic } from "../write/atomic.ts";
import { sha256File, sha256Text } from "../write/checksum.ts";

/** Parameters that say where files are, not what is computed: the inputs' checksums stand for them in the key. */
const LOCATION_PARAMETERS = new Set(["scenes", "scene", "out"]);

/**
 * A run's identity: SHA-256 of the software version, command, parameters and inputs (id, role,
 * checksum; not paths, not times). Equal keys mean the same outputs, so reports cite it rather
 * than a hash of run.json, whose timings change with every rerun.
 */
export function runKey(run: { command?: unknown; parameters?: Record<string, unknown>; inputs?: ManifestInput[]; software?: { version?: string } }): string {
  const inputs = (run.inputs ?? []).map((i) => [i.id, i.role ?? "", i.sha256]);
  const parameters = Object.entries(run.parameters ?? {}).filter(([k]) => !LOCATION_PARAMETERS.has(k));
  return sha256Text(JSON.stringify([run.software?.version ?? SOFTWARE_VERSION, run.command, parameters, inputs]));
}

export interface ManifestInput {
  id: string;
  path: string;
  sha256: string;
  role?: string;
}

/** A stage's wall time; `resumed` when its outputs were found complete and not recomputed. */
export interface StageTiming {
  name: string;
  seconds: number;
  resumed?: true;
}

/** Named, timed stages: what run.json lists, and what progress bars are told. */
/** Input files as run.json lists them: each path once, with its SHA-256 (empty for a URL). */
export async function hashedInputs(id: string, paths: readonly string[], role?: string): Promise<ManifestInput[]> {
  const out: ManifestInput[] = [];
  for (const path of new Set(paths)) out.push({ id, path, sha256: /^https?:/.test(path) ? "" : await sha256File(path), ...(role ? { role } : {}) });
  return out;
}

export class StageLog {
  readonly stages: StageTiming[] = [];
  /** Told of each stage as it starts (progress bars). */
  onStage?: (name: string) => void;

  /** Times `fn` as a named stage. */
  async stage<T>(name: string, fn: () => Promise<T> | T): Promise<T> {
    this.onStage?.(name);
    const t0 = performance.now();
    try {
      return await fn();
    } finally {
      this.stages.push({ name, seconds: Math.round(performance.now() - t0) / 1000 });
    }
  }
}

export class RunManifest extends StageLog {
  readonly inputs: ManifestInput[] = [];
  readonly warnings: string[] = [];
  readonly outputs: string[] = [];
  private readonly started = new Date();

  constructor(
    readonly command: string,
    readonly parameters: Record<string, unknown>,
  ) {
    super();
  }

  /** Hashes and adds the files not listed yet. */
  async addInputFiles(id: string, paths: readonly string[], role?: string): Promise<void> {
    this.addInputs(
      await hashedInputs(
        id,
        paths.filter((p) => !this.inputs.some((i) => i.path === p)),
        role,
      ),
    );
  }

  /** Adds inputs hashed elsewhere (a run's plan), each path once. */
  addInputs(inputs: readonly ManifestInput[]): void {
    for (const i of inputs) if (!this.inputs.some((j) => j.path === i.path)) this.inputs.push(i);
  }

  warn(message: string): void {
    this.warnings.push(message);
    process.stderr.write(`warning: ${message}\n`);
  }

  toJSON(): Record<string, unknown> {
    const software = { name: "reewatch", version: SOFTWARE_VERSION, node: process.version };
    return {
      software,
      key: runKey({ software, command: this.command, parameters: this.parameters, inputs: this.inputs }),
      command: this.command,
      parameters: this.parameters,
      inputs: this.inputs,
      outputs: this.outputs,
      started: this.started.toISOString(),
      ended: new Date().toISOString(),
      stages: this.stages,
      warnings: this.warnings,
    };
  }

  async write(path: string): Promise<void> {
    await writeFileAtomic(path, `${JSON.stringify(this, null, 2)}\n`);
  }
}
