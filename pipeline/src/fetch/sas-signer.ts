/**
 * Planetary Computer's asset URLs are Azure Blob URLs that need a short-lived SAS token. Its
 * public token endpoint answers `GET {tokenUrl}/{collection}` with `{"token": "...",
 * "msft:expiry": "<ISO time>"}`; the token is appended as the URL's query string and cached
 * until shortly before it expires (and dropped when a blob server refuses it).
 */
import { ReewatchError } from "../errors.ts";
import type { HttpOptions, UrlSigner } from "../source/http-request.ts";
import { requestJson } from "../source/http-request.ts";

export const PLANETARY_TOKEN_URL = "https://planetarycomputer.microsoft.com/api/sas/v1/token";

/** Renew this long before the stated expiry, so a token never runs out mid-scene. */
const EARLY_MS = 5 * 60_000;

interface Token {
  token: string;
  expiresAt: number;
}

export class SasSigner implements UrlSigner {
  private cached: Token | undefined;
  private pending: Promise<Token> | undefined;
  /** Tokens fetched so far (the fetch summary reports it). */
  fetched = 0;

  constructor(
    private readonly tokenUrl: string,
    private readonly collection: string,
    private readonly http: HttpOptions = {},
    private readonly now: () => number = Date.now,
  ) {}

  async sign(url: string, signal?: AbortSignal): Promise<string> {
    const t = await this.token(signal);
    const u = new URL(url);
    // A URL already carrying a SAS signature (sig=) is left as it is.
    if (u.searchParams.has("sig")) return url;
    return `${url}${url.includes("?") ? "&" : "?"}${t.token}`;
  }

  invalidate(): void {
    this.cached = undefined;
  }

  private async token(signal?: AbortSignal): Promise<Token> {
    if (this.cached && this.cached.expiresAt - EARLY_MS > this.now()) return this.cached;
    this.pending ??= this.request(signal).finally(() => {
      this.pending = undefined;
    });
    this.cached = await this.pending;
    return this.cached;
  }

  private async request(signal?: AbortSignal): Promise<Token> {
    const url = `${this.tokenUrl.replace(/\/$/, "")}/${encodeURIComponent(this.collection)}`;
    const { json } = await requestJson<Record<string, unknown>>(url, { signal }, this.http);
    const token = json.token;
    const expiry = Date.parse(String(json["msft:expiry"] ?? ""));
    if (typeof token !== "string" || token === "" || !Number.isFinite(expiry))
      throw new ReewatchError(`${url}: not a SAS token answer (needs "token" and "msft:expiry")`);
    if (expiry <= this.now()) throw new ReewatchError(`${url}: the token endpoint gave a token that has already expired (${json["msft:expiry"]})`);
    this.fetched++;
    return { token: token.replace(/^\?/, ""), expiresAt: expiry };
  }
}
