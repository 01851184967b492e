import fs from 'node:fs';
import zlib from 'node:zlib';
import type { GraphPrincipal, GraphRequest } from './graph-types';

/**
 * Graph pages rendered once and kept gzip-compressed in memory, served as they are: what lets a
 * benchmark measure the product rather than the simulator rendering a year of mail per mailbox.
 * A page is keyed by what decides its content (tenant, caller, method, path, query, the Prefer
 * header); a request for a page that is not stored is rendered as usual. Authentication,
 * throttling, injected faults and latency apply to stored pages like to any other.
 *
 * Pages come from `prime` (the requests a run will send, each followed through its nextLinks)
 * and can be written to and read back from a file, so a large tenant is rendered once. A page
 * names the simulator's own origin (its nextLink, its context): that origin is kept out of the
 * stored bytes, which are gzip members of the text between its occurrences, and put back when
 * the page is served (a gzip stream may hold any number of members), so a page rendered by one
 * simulator is served right by another on another port.
 */

interface StoredPage {
  /** The request as a client sends it (path below /v1.0 with its query, and Prefer): for replays. */
  request: { url: string; prefer?: string };
  status: number;
  headers: Record<string, string>;
  /** The JSON body split at the simulator's origin, each part one gzip member. */
  parts: Buffer[];
  /** Uncompressed length (bytes). */
  bytes: number;
  items: number;
}

export interface ServedPage {
  status: number;
  headers: Record<string, string>;
  /** The body as one gzip stream: its members, in order (sent as they are, never copied). */
  gzip: Buffer[];
}

export interface PageStoreStats {
  pages: number;
  compressedBytes: number;
  bytes: number;
  hits: number;
  /** Items (`value` entries) in the pages served from the store. */
  itemsServed: number;
}

const MAGIC = 'SIMPAGES3';
const LEVEL = 4;

const sizeOf = (parts: Buffer[]) => parts.reduce((sum, p) => sum + p.length, 0);

function preferKey(prefer: string | undefined): string {
  return (prefer ?? '').toLowerCase().replace(/\s+/g, '');
}

export class PageStore {
  private readonly pages = new Map<string, StoredPage>();
  private hits = 0;
  private itemsServed = 0;
  private originMember: { origin: string; gzip: Buffer } | null = null;

  static key(principal: GraphPrincipal, req: GraphRequest): string {
    return [principal.tenant.tenantId, principal.kind, principal.appId, req.method, req.path.toLowerCase(), req.query.toString(), preferKey(req.headers['prefer'])].join('\u0000');
  }

  get size(): number {
    return this.pages.size;
  }

  /** The stored page for a request, its body naming `origin` (the simulator serving it). */
  get(principal: GraphPrincipal, req: GraphRequest, origin: string): ServedPage | undefined {
    const page = this.pages.get(PageStore.key(principal, req));
    if (!page) return undefined;
    this.hits++;
    this.itemsServed += page.items;
    if (this.originMember?.origin !== origin) this.originMember = { origin, gzip: zlib.gzipSync(origin, { level: LEVEL }) };
    const members: Buffer[] = [];
    page.parts.forEach((part, i) => {
      if (i > 0) members.push(this.originMember!.gzip);
      members.push(part);
    });
    return { status: page.status, headers: page.headers, gzip: members };
  }

  /** Stores a rendered JSON body (compressed here, without `origin`); `items` is its `value` length. */
  put(key: string, request: StoredPage['request'], status: number, headers: Record<string, string>, json: string, items: number, origin: string): void {
    const parts = json.split(origin).map((text) => zlib.gzipSync(text, { level: LEVEL }));
    this.pages.set(key, { request, status, headers, parts, bytes: Buffer.byteLength(json), items });
  }

  /** Every stored page's request, with its size: what a replay of the stored pages sends. */
  requests(): Array<StoredPage['request'] & { items: number; bytes: number; compressedBytes: number }> {
    return [...this.pages.values()].map((p) => ({ ...p.request, items: p.items, bytes: p.bytes, compressedBytes: sizeOf(p.parts) }));
  }

  stats(): PageStoreStats {
    let compressedBytes = 0;
    let bytes = 0;
    for (const p of this.pages.values()) {
      compressedBytes += sizeOf(p.parts);
      bytes += p.bytes;
    }
    return { pages: this.pages.size, compressedBytes, bytes, hits: this.hits, itemsServed: this.itemsServed };
  }

  resetCounters(): void {
    this.hits = 0;
    this.itemsServed = 0;
  }

  clear(): void {
    this.pages.clear();
    this.resetCounters();
  }

  /** Writes every page to `file` (length-prefixed records), replacing it. */
  save(file: string): void {
    const fd = fs.openSync(`${file}.tmp`, 'w');
    try {
      fs.writeSync(fd, MAGIC);
      for (const [key, p] of this.pages) {
        const head = Buffer.from(JSON.stringify({ key, request: p.request, status: p.status, headers: p.headers, bytes: p.bytes, items: p.items, parts: p.parts.map((x) => x.length) }));
        const lengths = Buffer.alloc(8);
        lengths.writeUInt32BE(head.length, 0);
        lengths.writeUInt32BE(sizeOf(p.parts), 4);
        fs.writeSync(fd, lengths);
        fs.writeSync(fd, head);
        for (const part of p.parts) fs.writeSync(fd, part);
      }
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(`${file}.tmp`, file);
  }

  /** Adds the pages of a file written by `save`; false when there is no such file. */
  load(file: string): boolean {
    if (!fs.existsSync(file)) return false;
    const data = fs.readFileSync(file);
    if (data.subarray(0, MAGIC.length).toString() !== MAGIC) throw new Error(`${file} is not a page store file`);
    for (let at = MAGIC.length; at < data.length; ) {
      const headLength = data.readUInt32BE(at);
      const gzipLength = data.readUInt32BE(at + 4);
      const head = JSON.parse(data.subarray(at + 8, at + 8 + headLength).toString()) as Omit<StoredPage, 'parts'> & { key: string; parts: number[] };
      // Copies, so the file's buffer is not kept alive by every page.
      let from = at + 8 + headLength;
      const parts = head.parts.map((length) => Buffer.from(data.subarray(from, (from += length))));
      this.pages.set(head.key, { request: head.request, status: head.status, headers: head.headers, bytes: head.bytes, items: head.items, parts });
      at += 8 + headLength + gzipLength;
    }
    return true;
  }
}
