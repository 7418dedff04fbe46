import type { HttpOptions } from "./http-request.ts";

/**
 * All byte access goes through this interface (after cogeotiff's and PMTiles' `Source`).
 * Implementations: file (`file.ts`), HTTP range (`http.ts`), memory (`memory.ts`).
 */
export interface Source {
  /** Where the bytes come from: a path or URL, used in error messages and provenance. */
  readonly url: string;
  /** Total size in bytes. */
  size(signal?: AbortSignal): Promise<number>;
  /** Bytes [offset, offset + length), clipped at the end of the source. */
  fetch(offset: number, length: number, signal?: AbortSignal): Promise<Uint8Array>;
  close?(): Promise<void>;
}

/** Open the right Source for a path or URL; `http` sets retries, signing and byte counts for URLs. */
export async function openSource(pathOrUrl: string, http?: HttpOptions): Promise<Source> {
  if (/^https?:\/\//i.test(pathOrUrl)) {
    const { HttpSource } = await import("./http.ts");
    return new HttpSource(pathOrUrl, http);
  }
  const { FileSource } = await import("./file.ts");
  return FileSource.open(pathOrUrl);
}

/** Read a whole source (small files: STAC items, MTL, JSON). */
export async function readAll(src: Source, signal?: AbortSignal): Promise<Uint8Array> {
  return src.fetch(0, await src.size(signal), signal);
}
