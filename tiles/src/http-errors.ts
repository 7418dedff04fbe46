/** HTTP status codes, assigned in one table at the server edge only (STYLE.md 9). */
import { BadParameter, CorruptFile, MissingBand, OutsideBounds, ReewatchError, UnsupportedFormat } from "../../pipeline/src/index.ts";

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export function statusOf(err: unknown): { status: number; message: string } {
  const message = (err instanceof Error ? err.message : String(err)).replace(/\s+/g, " ").trim();
  if (err instanceof HttpError) return { status: err.status, message };
  if (err instanceof BadParameter) return { status: 400, message };
  if (err instanceof OutsideBounds) return { status: 404, message };
  if (err instanceof MissingBand) return { status: 404, message };
  if (err instanceof UnsupportedFormat || err instanceof CorruptFile) return { status: 422, message };
  if (err instanceof ReewatchError) return { status: 400, message };
  return { status: 500, message: "internal error" };
}
