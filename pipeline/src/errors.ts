/**
 * Named errors where a caller must branch. Every message is one line naming the file or
 * parameter and the cause; the CLI prints `reewatch: <message>` and exits non-zero.
 */
export class ReewatchError extends Error {
  override name = "ReewatchError";
  /** Process exit code used by the CLI. */
  exitCode = 1;
}

/** A band the operation needs is absent from the scene. */
export class MissingBand extends ReewatchError {
  override name = "MissingBand";
}

/** The file is not a format we read (not a TIFF, unknown sensor, unknown product). */
export class UnsupportedFormat extends ReewatchError {
  override name = "UnsupportedFormat";
}

/** A request falls outside the raster or the scene footprint. */
export class OutsideBounds extends ReewatchError {
  override name = "OutsideBounds";
}

/** A user-supplied parameter is invalid. */
export class BadParameter extends ReewatchError {
  override name = "BadParameter";
  override exitCode = 2;
}

/** The scale/offset provenance of a scene cannot be established (docs/science.md: Radiometry). */
export class UnknownScale extends ReewatchError {
  override name = "UnknownScale";
}

/** A file is damaged: truncated, corrupt or internally inconsistent. */
export class CorruptFile extends ReewatchError {
  override name = "CorruptFile";
}

/** One line, whatever the error was. */
export function oneLine(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  return msg.replace(/\s+/g, " ").trim();
}
