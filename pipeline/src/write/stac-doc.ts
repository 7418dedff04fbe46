/**
 * STAC documents (catalog, collection, item) as reewatch reads its own back: the members the tree
 * writer (stac-tree.ts) and the run readers (read/run-catalog.ts ...) use, typed; every other member
 * is `unknown`. Types only: JSON.parse gives no guarantee, so a reader that must survive a foreign
 * file checks what it reads.
 */

export interface StacLink {
  rel: string;
  href: string;
  type?: string;
  title?: string;
  [key: string]: unknown;
}

export interface StacAsset {
  href: string;
  type?: string;
  title?: string;
  roles?: string[];
  [key: string]: unknown;
}

/** A catalog, collection or item. */
export interface StacDoc {
  type?: string;
  id?: string;
  links?: StacLink[];
  [key: string]: unknown;
}

export interface StacItemDoc extends StacDoc {
  properties: Record<string, unknown>;
  assets: Record<string, StacAsset>;
  bbox?: number[];
  collection?: string;
}

export interface StacCollectionDoc extends StacDoc {
  extent?: {
    spatial?: { bbox?: number[][] };
    temporal?: { interval?: (string | null)[][] };
  };
}
