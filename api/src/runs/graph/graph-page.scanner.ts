/**
 * Reads the metadata the engine needs straight out of a Graph page's bytes, without building the
 * page's object graph. `JSON.parse` of a 600 KiB page builds every message whole (display names,
 * etags, an object per recipient and per address) only for the adapter to keep a few strings of
 * it; that parse and the garbage it leaves were about a third of the worker's CPU while reading
 * (issue 13, `--cpu-prof` at 2,500 mailboxes: JSON.parse 17 %, UTF-8 decoding 8 %, garbage
 * collection 19 %). Here the bytes are walked once: the fields the adapter keeps become strings,
 * every other value is stepped over without being decoded.
 *
 * For a page that is valid JSON, what it gives is exactly what `JSON.parse` followed by the
 * adapter's projection (`toMessageMeta`, `toCalendarChange`) gives: both build their result with
 * the same functions. Values it steps over are checked for their bounds, not their grammar.
 * A page in a shape this reader does not expect (a value of another type, broken JSON) throws
 * `UnexpectedShape` and the caller takes the standard path for that page, so an odd page is
 * read as before rather than differently.
 */

import { ScratchList } from '../domain/scratch-list';

/** The page holds something this reader does not handle: parse it the standard way. */
export class UnexpectedShape extends Error {
  constructor(at: number, what: string) {
    super(`Unexpected ${what} at byte ${at} of a Graph page.`);
    this.name = 'UnexpectedShape';
  }
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
export const OPEN_OBJECT = 0x7b;
export const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;
const LETTER_N = 0x6e;
const LETTER_T = 0x74;
const LETTER_F = 0x66;

/** Node's Buffer has had `latin1Slice(start, end)` since its first versions; its types do not say so. */
type LatinSlicing = Buffer & { latin1Slice(start: number, end: number): string };

/** A cursor over JSON bytes; every method starts at the cursor and leaves it after what it read. */
export class JsonCursor {
  at: number;
  /** Whether the last string `stringEnd` found needs decoding (an escape, or a byte beyond ASCII). */
  private plain = true;
  /** Where the last `name` began. */
  nameStart = 0;
  /** A list `readRecipients` reuses (recipient lists never nest). */
  readonly scratch = new ScratchList<string>();

  constructor(
    readonly bytes: Buffer,
    from = 0,
    /** Where the JSON ends (exclusive). */
    readonly end = bytes.length,
    /** Where `internedString` keeps the strings it has read (one per mailbox read). */
    readonly strings: StringInterner = new StringInterner(),
  ) {
    // A leading byte order mark is dropped, as decoding the body as text drops it.
    this.at = from === 0 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : from;
  }

  /** Skips whitespace; the byte there (undefined at the end). */
  peek(): number | undefined {
    const b = this.bytes;
    let i = this.at;
    let c = i < this.end ? b[i] : undefined;
    while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) c = ++i < this.end ? b[i] : undefined;
    this.at = i;
    return c;
  }

  take(c: number, what: string): void {
    if (this.peek() !== c) throw new UnexpectedShape(this.at, `byte (${what} expected)`);
    this.at++;
  }

  /**
   * After `{`/`[` (`first`) or after a member: true when a member follows (its comma taken),
   * false when the container closes (its closing byte taken).
   */
  next(close: number, first: boolean): boolean {
    const c = this.peek();
    if (c === close) {
      this.at++;
      return false;
    }
    if (!first) {
      if (c !== COMMA) throw new UnexpectedShape(this.at, 'byte (comma expected)');
      this.at++;
    }
    return true;
  }

  /** A member's name, with its colon taken: its length in bytes, undecoded (it starts at `nameStart`). */
  name(): number {
    if (this.peek() !== QUOTE) throw new UnexpectedShape(this.at, 'member name');
    const start = this.at + 1;
    const end = this.stringEnd(start);
    // Names are compared as bytes: one written with escapes is left to JSON.parse.
    if (!this.plain) throw new UnexpectedShape(start, 'member name with escapes');
    this.at = end + 1;
    this.take(COLON, 'colon');
    this.nameStart = start;
    return end - start;
  }

  /** Whether the last name is `key` (ASCII). */
  named(key: Uint8Array): boolean {
    const b = this.bytes;
    const s = this.nameStart;
    if (b[s + key.length] !== QUOTE) return false;
    for (let k = 0; k < key.length; k++) if (b[s + k] !== key[k]) return false;
    return true;
  }

  /** The closing quote of the string whose first byte is at `from`. */
  private stringEnd(from: number): number {
    const b = this.bytes;
    const n = this.end;
    let plain = true;
    let i = from;
    for (;;) {
      if (i >= n) throw new UnexpectedShape(from, 'end of text inside a string');
      const c = b[i]!;
      if (c === QUOTE) break;
      if (c === BACKSLASH) {
        plain = false;
        i += 2;
        continue;
      }
      if (c >= 0x80 || c < 0x20) plain = false;
      i++;
    }
    this.plain = plain;
    return i;
  }

  string(): string {
    if (this.peek() !== QUOTE) throw new UnexpectedShape(this.at, 'value (a string expected)');
    const start = this.at + 1;
    const end = this.stringEnd(start);
    this.at = end + 1;
    // Escapes and non-ASCII text are decoded by JSON.parse itself, so they read exactly as before.
    if (!this.plain) return JSON.parse(this.bytes.toString('utf8', start - 1, end + 1)) as string;
    // Plain ASCII: Buffer's own latin1 slice, without toString's argument handling (most of the
    // cost of a short string taken through it).
    return (this.bytes as LatinSlicing).latin1Slice(start, end);
  }

  /**
   * `string()` for a value that repeats (an address): the same text read before is handed out
   * again, the same string, without decoding or allocating it. Found by a hash of its bytes
   * taken while looking for its end.
   */
  internedString(): string {
    if (this.peek() !== QUOTE) throw new UnexpectedShape(this.at, 'value (a string expected)');
    const b = this.bytes;
    const start = this.at + 1;
    const n = this.end;
    let hash = 0x811c9dc5;
    let i = start;
    for (;;) {
      if (i >= n) throw new UnexpectedShape(start, 'end of text inside a string');
      const c = b[i]!;
      if (c === QUOTE) break;
      // Escapes and text beyond ASCII: decoded the standard way, not kept.
      if (c === BACKSLASH || c >= 0x80 || c < 0x20) return this.string();
      hash = Math.imul(hash ^ c, 0x01000193);
      i++;
    }
    this.at = i + 1;
    return this.strings.find(b as LatinSlicing, start, i, hash & 0x3fffffff);
  }

  internedOrNull(): string | null {
    if (this.peek() === LETTER_N) {
      this.literal('null');
      return null;
    }
    return this.internedString();
  }

  stringOrNull(): string | null {
    if (this.peek() === LETTER_N) {
      this.literal('null');
      return null;
    }
    return this.string();
  }

  /** true, false or null (as JSON gives them). */
  flag(): boolean | null {
    const c = this.peek();
    if (c === LETTER_T) return this.literal('true'), true;
    if (c === LETTER_F) return this.literal('false'), false;
    if (c === LETTER_N) return this.literal('null'), null;
    throw new UnexpectedShape(this.at, 'value (true, false or null expected)');
  }

  isNull(): boolean {
    if (this.peek() !== LETTER_N) return false;
    this.literal('null');
    return true;
  }

  private literal(word: string): void {
    const b = this.bytes;
    for (let k = 0; k < word.length; k++) if (b[this.at + k] !== word.charCodeAt(k)) throw new UnexpectedShape(this.at, 'literal');
    this.at += word.length;
  }

  /** Steps over one value of any kind without decoding it. */
  skip(): void {
    const c = this.peek();
    const b = this.bytes;
    if (c === QUOTE) {
      this.at = this.stringEnd(this.at + 1) + 1;
      return;
    }
    if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      let depth = 0;
      let i = this.at;
      for (;;) {
        if (i >= this.end) throw new UnexpectedShape(this.at, 'end of text inside a value');
        const d = b[i]!;
        if (d === QUOTE) {
          i = this.stringEnd(i + 1) + 1;
          continue;
        }
        if (d === OPEN_OBJECT || d === OPEN_ARRAY) depth++;
        else if (d === CLOSE_OBJECT || d === CLOSE_ARRAY) {
          if (--depth === 0) {
            this.at = i + 1;
            return;
          }
        }
        i++;
      }
    }
    // A number or a literal: up to the next delimiter.
    let i = this.at;
    while (i < this.end) {
      const d = b[i]!;
      if (d === COMMA || d === CLOSE_OBJECT || d === CLOSE_ARRAY || d === 0x20 || d === 0x0a || d === 0x0d || d === 0x09) break;
      if (d === QUOTE || d === OPEN_OBJECT || d === OPEN_ARRAY || d === COLON) throw new UnexpectedShape(i, 'byte');
      i++;
    }
    if (i === this.at) throw new UnexpectedShape(i, 'value');
    this.at = i;
  }

  /** Nothing but whitespace may follow the JSON. */
  finish(): void {
    if (this.peek() !== undefined) throw new UnexpectedShape(this.at, 'text after the JSON');
  }

  /** Steps over one value: [start, end) of its bytes. */
  valueRange(): [number, number] {
    this.peek();
    const from = this.at;
    this.skip();
    return [from, this.at];
  }

  /** The integer there (a batch response's status). */
  integer(): number {
    const [from, end] = this.valueRange();
    const v = Number(this.bytes.toString('latin1', from, end));
    if (!Number.isInteger(v)) throw new UnexpectedShape(from, 'value (an integer expected)');
    return v;
  }
}

/**
 * Strings read before, by the hash of their bytes: a mailbox's messages name the same few
 * hundred people thousands of times. Handing out one string per address spares decoding and
 * allocating it again, and the address book's lookup of a string it has seen is then a hash it
 * has already computed (V8 keeps it in the string).
 */
export class StringInterner {
  private readonly byHash = new Map<number, Array<{ bytes: Uint8Array; text: string }>>();
  private kept = 0;

  constructor(private readonly limit = 50_000) {}

  find(b: LatinSlicing, start: number, end: number, hash: number): string {
    const length = end - start;
    const entries = this.byHash.get(hash);
    if (entries) {
      for (const e of entries) {
        const bytes = e.bytes;
        if (bytes.length !== length) continue;
        let k = 0;
        while (k < length && bytes[k] === b[start + k]) k++;
        if (k === length) return e.text;
      }
    }
    const text = b.latin1Slice(start, end);
    // Bounded: a reader fed endless distinct strings keeps only the first ones.
    if (this.kept < this.limit) {
      this.kept++;
      // A copy: a view would keep the whole page's buffer alive for as long as the reader.
      const entry = { bytes: Uint8Array.prototype.slice.call(b, start, end), text };
      if (entries) entries.push(entry);
      else this.byHash.set(hash, [entry]);
    }
    return text;
  }
}

/** A member name as the bytes `JsonCursor.named` compares (names are ASCII). */
export const nameBytes = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

const KEY = {
  value: nameBytes('value'),
  nextLink: nameBytes('@odata.nextLink'),
  deltaLink: nameBytes('@odata.deltaLink'),
  emailAddress: nameBytes('emailAddress'),
  address: nameBytes('address'),
} as const;

/**
 * A recipient (`{ emailAddress: { address } }`, or null) to its address, as
 * `r?.emailAddress?.address ?? null` reads the parsed object.
 */
export function readRecipient(c: JsonCursor): string | null {
  if (c.isNull()) return null;
  c.take(OPEN_OBJECT, 'a recipient object');
  let address: string | null = null;
  for (let first = true; c.next(CLOSE_OBJECT, first); first = false) {
    const length = c.name();
    if (length === 12 && c.named(KEY.emailAddress)) {
      // A later member of the same name replaces the earlier, as in JSON.parse.
      address = null;
      if (c.isNull()) continue;
      c.take(OPEN_OBJECT, 'an emailAddress object');
      for (let inner = true; c.next(CLOSE_OBJECT, inner); inner = false) {
        const l = c.name();
        if (l === 7 && c.named(KEY.address)) address = c.internedOrNull();
        else c.skip();
      }
    } else c.skip();
  }
  return address;
}

/** A list of recipients to their addresses, those without one left out (`addresses` in the adapter). */
export function readRecipients(c: JsonCursor, none: string[]): string[] {
  if (c.isNull()) return none;
  c.take(OPEN_ARRAY, 'a recipient list');
  // Gathered in a scratch list and copied out at their exact count: an array grown by push
  // starts with room for 16, most lists hold one or two.
  const found = c.scratch.clear();
  for (let first = true; c.next(CLOSE_ARRAY, first); first = false) {
    const a = readRecipient(c);
    if (a) found.push(a);
  }
  return found.size === 0 ? none : found.copy();
}

/** A page's items (each read by `item`, null ones left out) and its links. */
export interface ScannedPage<M> {
  items: M[];
  nextLink?: string;
  deltaLink?: string;
}

/** A collection page (`{ value: [...], @odata.nextLink | @odata.deltaLink }`) between `from` and `end`. */
export function scanPage<M>(bytes: Buffer, item: (c: JsonCursor) => M | null, from = 0, end = bytes.length, strings?: StringInterner): ScannedPage<M> {
  const c = new JsonCursor(bytes, from, end, strings);
  const page: ScannedPage<M> = { items: [] };
  c.take(OPEN_OBJECT, 'a page object');
  for (let first = true; c.next(CLOSE_OBJECT, first); first = false) {
    c.name();
    if (c.named(KEY.value)) {
      page.items = [];
      c.take(OPEN_ARRAY, 'the value list');
      for (let inner = true; c.next(CLOSE_ARRAY, inner); inner = false) {
        const m = item(c);
        if (m !== null) page.items.push(m);
      }
    } else if (c.named(KEY.nextLink)) page.nextLink = c.string();
    else if (c.named(KEY.deltaLink)) page.deltaLink = c.string();
    else c.skip();
  }
  c.finish();
  return page;
}

/** One answer of a `$batch`: its body's bytes left unread until the caller knows what it is. */
export interface ScannedBatchResponse {
  id: string;
  status: number;
  headers?: Record<string, string>;
  /** [start, end) of the body's JSON in the batch's bytes; absent without a body. */
  body?: [number, number];
}

const BATCH_KEY = { responses: nameBytes('responses'), id: nameBytes('id'), status: nameBytes('status'), headers: nameBytes('headers'), body: nameBytes('body') } as const;

/** A `$batch` answer's responses, each body located but not read. */
export function scanBatch(bytes: Buffer): ScannedBatchResponse[] {
  const c = new JsonCursor(bytes);
  const out: ScannedBatchResponse[] = [];
  c.take(OPEN_OBJECT, 'a batch object');
  for (let first = true; c.next(CLOSE_OBJECT, first); first = false) {
    c.name();
    if (!c.named(BATCH_KEY.responses)) {
      c.skip();
      continue;
    }
    out.length = 0;
    c.take(OPEN_ARRAY, 'the responses list');
    for (let inner = true; c.next(CLOSE_ARRAY, inner); inner = false) {
      const r: Partial<ScannedBatchResponse> = {};
      c.take(OPEN_OBJECT, 'a batch response');
      for (let m = true; c.next(CLOSE_OBJECT, m); m = false) {
        c.name();
        if (c.named(BATCH_KEY.id)) r.id = c.string();
        else if (c.named(BATCH_KEY.status)) r.status = c.integer();
        else if (c.named(BATCH_KEY.body)) r.body = c.valueRange();
        else if (c.named(BATCH_KEY.headers)) r.headers = JSON.parse(bytes.toString('utf8', ...c.valueRange())) as Record<string, string>;
        else c.skip();
      }
      if (r.id === undefined || r.status === undefined) throw new UnexpectedShape(c.at, 'batch response without id or status');
      out.push(r as ScannedBatchResponse);
    }
  }
  c.finish();
  return out;
}
