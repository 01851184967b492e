/**
 * The bytes of a partial (a mailbox state, a shard's bucket columns): its JSON with the long
 * number arrays taken out and written as binary columns behind it. Partials are columns of
 * numbers, most of them instants and decayed sums beyond 2^31 (doubles to V8), and turning those
 * into decimal text and back was the largest part of encoding and decoding them: in a
 * 250-mailbox full run `JSON.stringify` of partials was 4 % of the worker's CPU and their
 * `JSON.parse` 1.4 % (issue 13, `--cpu-prof`).
 *
 * Taken out: arrays of at least `MIN_COLUMN` numbers (nulls allowed), and arrays of at least
 * `MIN_COLUMN` arrays of numbers (a bucket's selected people per bucket). What comes back is
 * what `JSON.parse(JSON.stringify(value))` gives, so the format changes no figure: a non-finite
 * number becomes null as JSON makes it, -0 becomes 0.
 *
 * Layout: one byte `FORMAT`, three zero bytes, the skeleton's length (uint32 LE), the skeleton
 * (UTF-8 JSON in which each column is `{"\u0000": index}`), zero bytes to a multiple of 8, then
 * the columns one after another, each padded to a multiple of 8. A column is described in the
 * skeleton's last element (see `ColumnHead`). JSON text never starts with byte 1, so a reader
 * tells this format from a plain JSON partial by its first byte.
 */

export const FORMAT = 1;
const MIN_COLUMN = 8;
const MARK = '\u0000';

/** i: int32, f: float64 (NaN for null); nested ones add a uint32 length per inner array first. */
type ColumnKind = 'i' | 'f' | 'ni' | 'nf';
/** [kind, number of values (nested: of inner arrays), nested: number of values in all] */
type ColumnHead = [ColumnKind, number] | [ColumnKind, number, number];

interface Column {
  kind: ColumnKind;
  values: ReadonlyArray<number | null> | ReadonlyArray<readonly number[]>;
  flat: number;
}

const isInt32 = (x: number) => (x | 0) === x && !Object.is(x, -0);

/** The kind of a flat number column, or null when `list` is not one. */
function flatKind(list: readonly unknown[]): 'i' | 'f' | null {
  let int = true;
  for (const x of list) {
    if (x === null) int = false;
    else if (typeof x !== 'number') return null;
    else if (int && !isInt32(x)) int = false;
  }
  return int ? 'i' : 'f';
}

/** The kind of a column of number arrays, or null; `count` gets the number of values in all. */
function nestedKind(list: readonly unknown[], count: { n: number }): 'ni' | 'nf' | null {
  let int = true;
  let n = 0;
  for (const inner of list) {
    if (!Array.isArray(inner)) return null;
    for (const x of inner) {
      // A non-finite number in an inner array is left to JSON (it makes it null; NaN means null only in flat columns).
      if (typeof x !== 'number' || !Number.isFinite(x)) return null;
      if (int && !isInt32(x)) int = false;
    }
    n += inner.length;
  }
  count.n = n;
  return int ? 'ni' : 'nf';
}

function skeletonOf(value: unknown, columns: Column[]): unknown {
  if (Array.isArray(value)) {
    if (value.length >= MIN_COLUMN) {
      const flat = flatKind(value);
      if (flat) return { [MARK]: columns.push({ kind: flat, values: value, flat: value.length }) - 1 };
      const count = { n: 0 };
      const nested = nestedKind(value, count);
      if (nested) return { [MARK]: columns.push({ kind: nested, values: value as number[][], flat: count.n }) - 1 };
    }
    return value.map((x) => skeletonOf(x, columns));
  }
  if (value !== null && typeof value === 'object') {
    // toJSON (a Date, a Binary) is JSON's business: such a value stays in the skeleton as is.
    if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return value;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (k === MARK) throw new Error('A partial may not hold the key reserved for number columns.');
      out[k] = skeletonOf(v, columns);
    }
    return out;
  }
  return value;
}

const pad8 = (n: number) => (n + 7) & ~7;

function columnBytes(c: Column): number {
  const width = c.kind === 'i' || c.kind === 'ni' ? 4 : 8;
  return c.kind === 'i' || c.kind === 'f' ? pad8(c.flat * width) : pad8(c.values.length * 4) + pad8(c.flat * width);
}

export function encodeNumberColumns(value: unknown): Buffer {
  const columns: Column[] = [];
  const skeleton = skeletonOf(value, columns);
  const heads: ColumnHead[] = columns.map((c) => (c.kind === 'i' || c.kind === 'f' ? [c.kind, c.values.length] : [c.kind, c.values.length, c.flat]));
  const text = Buffer.from(JSON.stringify([skeleton, heads]));
  const start = pad8(8 + text.length);
  const out = Buffer.alloc(start + columns.reduce((sum, c) => sum + columnBytes(c), 0));
  out[0] = FORMAT;
  out.writeUInt32LE(text.length, 4);
  text.copy(out, 8);
  let at = start;
  for (const c of columns) {
    if (c.kind === 'ni' || c.kind === 'nf') {
      const lengths = new Uint32Array(out.buffer, out.byteOffset + at, c.values.length);
      const lists = c.values as ReadonlyArray<readonly number[]>;
      for (let i = 0; i < lists.length; i++) lengths[i] = lists[i]!.length;
      at += pad8(lists.length * 4);
      const flat = c.kind === 'ni' ? new Int32Array(out.buffer, out.byteOffset + at, c.flat) : new Float64Array(out.buffer, out.byteOffset + at, c.flat);
      let j = 0;
      // + 0: -0 comes back as 0, as from JSON.
      for (const list of lists) for (const x of list) flat[j++] = x + 0;
      at += pad8(c.flat * (c.kind === 'ni' ? 4 : 8));
    } else {
      const values = c.values as ReadonlyArray<number | null>;
      const flat = c.kind === 'i' ? new Int32Array(out.buffer, out.byteOffset + at, c.flat) : new Float64Array(out.buffer, out.byteOffset + at, c.flat);
      for (let i = 0; i < values.length; i++) {
        const x = values[i];
        flat[i] = x === null || x === undefined || !Number.isFinite(x) ? NaN : x + 0;
      }
      at += pad8(c.flat * (c.kind === 'i' ? 4 : 8));
    }
  }
  return out;
}

/** Whether `bytes` (inflated) are in this format rather than plain JSON. */
export const isNumberColumns = (bytes: Uint8Array) => bytes.length >= 8 && bytes[0] === FORMAT;

export function decodeNumberColumns(bytes: Buffer): unknown {
  if (!isNumberColumns(bytes)) throw new Error('Not a partial with number columns.');
  const textLength = bytes.readUInt32LE(4);
  if (8 + textLength > bytes.length) throw new Error('A partial with number columns is cut short.');
  const [skeleton, heads] = JSON.parse(bytes.toString('utf8', 8, 8 + textLength)) as [unknown, ColumnHead[]];
  // Typed views need aligned offsets: a buffer from zlib starts where it likes.
  const data = bytes.byteOffset % 8 === 0 ? bytes : Buffer.from(bytes);
  let at = pad8(8 + textLength);
  const view = (kind: 'i' | 'f' | 'u', count: number) => {
    const width = kind === 'f' ? 8 : 4;
    if (at + count * width > data.length) throw new Error('A partial with number columns is cut short.');
    const v = kind === 'i' ? new Int32Array(data.buffer, data.byteOffset + at, count) : kind === 'u' ? new Uint32Array(data.buffer, data.byteOffset + at, count) : new Float64Array(data.buffer, data.byteOffset + at, count);
    at += pad8(count * width);
    return v;
  };
  const columns = heads.map(([kind, count, flatCount]) => {
    if (kind === 'i' || kind === 'f') {
      const v = view(kind, count);
      const out: Array<number | null> = new Array(count);
      for (let i = 0; i < count; i++) {
        const x = v[i]!;
        out[i] = x === x ? x : null;
      }
      return out;
    }
    const lengths = view('u', count);
    const v = view(kind === 'ni' ? 'i' : 'f', flatCount ?? 0);
    const out: number[][] = new Array(count);
    let j = 0;
    for (let i = 0; i < count; i++) {
      const n = lengths[i]!;
      const inner: number[] = new Array(n);
      for (let k = 0; k < n; k++) inner[k] = v[j++]!;
      out[i] = inner;
    }
    return out;
  });
  return fill(skeleton, columns);
}

function fill(value: unknown, columns: unknown[]): unknown {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = fill(value[i], columns);
    return value;
  }
  if (value !== null && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    const index = o[MARK];
    if (typeof index === 'number') return columns[index];
    for (const k of Object.keys(o)) o[k] = fill(o[k], columns);
    return o;
  }
  return value;
}
