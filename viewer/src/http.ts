/** Fetching from the server or the static export's files, relative to the viewer's folder, with one-line failures. */

/** Raised when a feature needs the server and the viewer runs from a static export. */
export class NeedsServer extends Error {}

/** A 4xx/5xx answer: the server's one-line reason and the status. */
export class HttpFailure extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/** An absolute URL for a site path such as "/reports/x/y/report.html" or "tiles/...", relative to the viewer's folder. */
export function url(path: string): string {
  return new URL(path.replace(/^\/+/, ""), new URL(".", location.href)).href;
}

export async function json<T>(path: string, init?: RequestInit): Promise<T> {
  const r = await fetch(url(path), init);
  const body = await r.json().catch(() => null);
  if (!r.ok) throw new HttpFailure(body?.error ?? `${r.status} ${r.statusText}: ${path}`, r.status);
  return body as T;
}
