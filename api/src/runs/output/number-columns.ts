/**
 * The bytes of a partial (a mailbox state, a shard's bucket columns): its JSON with the long
 * number arrays taken out and written as binary columns behind it. Partials are columns of
 * numbers, most of them instants and decayed sums beyond 2^31 (doubles to V8), and turning those
 * into decimal text and back was the largest part of encoding and decoding them: in a
 * 250-mailbox full run `JSON.stringify` of partials was 4 % of the worker's CPU and their
 * `JSON.parse` 1.4 % (issue 13, `--cpu-prof`).
 *
 * Taken out: arrays of at least `MIN_COLUMN` numbers (nulls allowed), arrays of at least
 * `MIN_COLUMN` arrays of numbers (a bucket's selected people per bucket), and every Int32Array
 * and Float64Array whatever its length. What comes back is what `JSON.parse(JSON.stringify(value))`
 * gives for the same value with its typed arrays as plain arrays, so the format changes no
 * figure: a non-finite number becomes null as JSON makes it, -0 becomes 0, and a typed array
 * comes back as a plain array.
 *
 * A packer that builds its columns as typed arrays saves the encoder from finding out what each
 * array holds, and a column whose values are all the same (the meeting columns of a mailbox
 * state's email buckets are all zero) is written as its one value: on the states of a
 * 250-mailbox bench those were a quarter of the bytes to compress (issue 13).
 *
 * Layout: one byte `FORMAT`, three zero bytes, the skeleton's length (uint32 LE), the skeleton
 * (UTF-8 JSON in which each column is `{"\u0000": index}`), zero bytes to a multiple of 8, then
 * the columns one after another, each padded to a multiple of 8. A column is described in the
 * skeleton's last element (see `ColumnHead`). JSON text never starts with byte 1 or 2, so a
 * reader tells this format from a plain JSON partial by its first byte. Format 1 had no
 * constant columns; it is still read.
 */

export const FORMAT = 2;
const READABLE_FORMATS = new Set([1, FORMAT]);
const MIN_COLUMN = 8;
const MARK = '\u0000';

/**
 * i: int32, f: float64 (NaN for null); nested ones add a uint32 length per inner array first;
 * k: every value the same (no bytes), ke: nested, every inner array empty (no bytes).
 */
type ColumnKind = 'i' | 'f' | 'ni' | 'nf' | 'k' | 'ke';
/**
 * [kind, number of values (nested: of inner arrays), nested: number of values in all; flat:
 * 1 when the column holds a null; k: the value (null for null and non-finite)]
 */
type ColumnHead = [ColumnKind, number] | [ColumnKind, number, number | null];

type NumberArray = ArrayLike<number | null>;

interface Column {
  kind: ColumnKind;
  values: NumberArray | ReadonlyArray<readonly number[]>;
  /** Flat: the column holds a null or a non-finite number (read back as null). Nested: values in all. k: the value. */
  flat: number | null;
  /** Flat: every value is a finite number other than -0, copied as is. An int32 column always is. */
  plain: boolean;
}

/** A flat column of `values`, or a constant one when `same` says they are all equal. */
function flatOf(values: NumberArray, int: boolean, plain: boolean, same: boolean): Column {
  if (same && values.length > 0) {
    const x = values[0];
    return { kind: 'k', values, flat: typeof x === 'number' && Number.isFinite(x) ? x + 0 : null, plain: true };
  }
  return { kind: int ? 'i' : 'f', values, flat: plain ? 0 : 1, plain };
}

/**
 * A typed array's column: it holds numbers only, and an Int32Array int32 ones, so only whether
 * they are all the same is left to find out; a Float64Array is looked at as an array is.
 */
function typedColumn(values: Int32Array | Float64Array): Column {
  if (!(values instanceof Int32Array)) return flatColumn(values)!;
  const first = values[0];
  let same = true;
  for (let i = 1; i < values.length && same; i++) same = values[i] === first;
  return flatOf(values, true, true, same);
}

const isInt32 = (x: number) => (x | 0) === x && (x !== 0 || 1 / x > 0);

/** `values` as a flat column, or null when one of them is not a number or null. */
function flatColumn(values: ArrayLike<unknown>): Column | null {
  let int = true;
  let plain = true;
  let same = true;
  const first = values[0];
  for (let i = 0; i < values.length; i++) {
    const x = values[i];
    if (x !== first) same = false;
    if (typeof x === 'number') {
      if (!Number.isFinite(x) || (x === 0 && 1 / x < 0)) plain = int = false;
      else if (int && (x | 0) !== x) int = false;
    } else if (x === null) plain = int = false;
    else return null;
  }
  return flatOf(values as NumberArray, int, plain, same);
}

/**
 * `values` as a nested column, or null when one of them is not an array of finite numbers (a
 * non-finite number in an inner array is left to JSON: NaN means null only in flat columns).
 */
function nestedColumn(values: readonly unknown[]): Column | null {
  let int = true;
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const inner = values[i];
    if (!Array.isArray(inner)) return null;
    for (let k = 0; k < inner.length; k++) {
      const x: unknown = inner[k];
      if (typeof x !== 'number' || !Number.isFinite(x)) return null;
      if (int && !isInt32(x)) int = false;
    }
    n += inner.length;
  }
  return { kind: n === 0 ? 'ke' : int ? 'ni' : 'nf', values: values as ReadonlyArray<readonly number[]>, flat: n, plain: false };
}

function onlyPrimitives(list: readonly unknown[]): boolean {
  for (let i = 0; i < list.length; i++) {
    const x = list[i];
    if (x !== null && typeof x === 'object') return false;
  }
  return true;
}

function skeletonOf(value: unknown, columns: Column[]): unknown {
  if (value instanceof Int32Array || value instanceof Float64Array) return { [MARK]: columns.push(typedColumn(value)) - 1 };
  if (Array.isArray(value)) {
    if (value.length >= MIN_COLUMN) {
      const first: unknown = value[0];
      const column = typeof first === 'number' || first === null ? flatColumn(value) : Array.isArray(first) ? nestedColumn(value) : null;
      if (column) return { [MARK]: columns.push(column) - 1 };
    }
    // Strings, booleans and the like go to JSON as they are, without a copy.
    if (onlyPrimitives(value)) return value;
    return value.map((x) => skeletonOf(x, columns));
  }
  if (value !== null && typeof value === 'object') {
    // toJSON (a Date, a Binary) is JSON's business: such a value stays in the skeleton as is.
    if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return value;
    if (ArrayBuffer.isView(value)) throw new Error('A partial may hold typed arrays of int32 or float64 numbers only.');
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value)) {
      if (k === MARK) throw new Error('A partial may not hold the key reserved for number columns.');
      out[k] = skeletonOf((value as Record<string, unknown>)[k], columns);
    }
    return out;
  }
  return value;
}

const pad8 = (n: number) => (n + 7) & ~7;
const widthOf = (kind: ColumnKind) => (kind === 'i' || kind === 'ni' ? 4 : 8);
const isFlat = (kind: ColumnKind) => kind === 'i' || kind === 'f';
const isConstant = (kind: ColumnKind) => kind === 'k' || kind === 'ke';

function columnBytes(c: Column): number {
  if (isConstant(c.kind)) return 0;
  return isFlat(c.kind) ? pad8(c.values.length * widthOf(c.kind)) : pad8(c.values.length * 4) + pad8(c.flat! * widthOf(c.kind));
}

function headOf(c: Column): ColumnHead {
  if (c.kind === 'ke') return [c.kind, c.values.length];
  if (c.kind === 'k') return [c.kind, c.values.length, c.flat];
  if (isFlat(c.kind)) return c.flat ? [c.kind, c.values.length, 1] : [c.kind, c.values.length];
  return [c.kind, c.values.length, c.flat];
}

// One loop per element type, so that each store site sees one kind of typed array
// (TypedArray.prototype.set from an array took 20 ns a number here).
// A typed array is copied by `set`, which converts in native code.
function writePlain32(into: Int32Array, values: ArrayLike<number>): void {
  if (ArrayBuffer.isView(values)) into.set(values);
  else for (let i = 0; i < values.length; i++) into[i] = values[i]!;
}

function writePlain64(into: Float64Array, values: ArrayLike<number>): void {
  if (ArrayBuffer.isView(values)) into.set(values);
  else for (let i = 0; i < values.length; i++) into[i] = values[i]!;
}

/** null and non-finite numbers as NaN (read back as null, as JSON gives them), -0 as 0. */
function writeNullable64(into: Float64Array, values: NumberArray): void {
  for (let i = 0; i < values.length; i++) {
    const x = values[i];
    into[i] = typeof x === 'number' && Number.isFinite(x) ? x + 0 : NaN;
  }
}

function writeNested32(into: Int32Array, lists: ReadonlyArray<readonly number[]>): void {
  let j = 0;
  for (let i = 0; i < lists.length; i++) {
    const list = lists[i]!;
    for (let k = 0; k < list.length; k++) into[j++] = list[k]!;
  }
}

function writeNested64(into: Float64Array, lists: ReadonlyArray<readonly number[]>): void {
  let j = 0;
  for (let i = 0; i < lists.length; i++) {
    const list = lists[i]!;
    // + 0: -0 comes back as 0, as from JSON.
    for (let k = 0; k < list.length; k++) into[j++] = list[k]! + 0;
  }
}

export function encodeNumberColumns(value: unknown): Buffer {
  const columns: Column[] = [];
  const skeleton = skeletonOf(value, columns);
  const heads: ColumnHead[] = columns.map(headOf);
  const text = Buffer.from(JSON.stringify([skeleton, heads]));
  const start = pad8(8 + text.length);
  const out = Buffer.alloc(start + columns.reduce((sum, c) => sum + columnBytes(c), 0));
  out[0] = FORMAT;
  out.writeUInt32LE(text.length, 4);
  text.copy(out, 8);
  let at = start;
  for (const c of columns) {
    if (isConstant(c.kind)) continue;
    const width = widthOf(c.kind);
    if (isFlat(c.kind)) {
      const values = c.values as NumberArray;
      // An int32 column holds no null, no -0 and nothing non-finite (see flatColumn).
      if (width === 4) writePlain32(new Int32Array(out.buffer, out.byteOffset + at, values.length), values as ArrayLike<number>);
      else if (c.plain) writePlain64(new Float64Array(out.buffer, out.byteOffset + at, values.length), values as ArrayLike<number>);
      else writeNullable64(new Float64Array(out.buffer, out.byteOffset + at, values.length), values);
      at += pad8(values.length * width);
      continue;
    }
    const lists = c.values as ReadonlyArray<readonly number[]>;
    const lengths = new Uint32Array(out.buffer, out.byteOffset + at, lists.length);
    for (let i = 0; i < lists.length; i++) lengths[i] = lists[i]!.length;
    at += pad8(lists.length * 4);
    const total = c.flat!;
    if (width === 4) writeNested32(new Int32Array(out.buffer, out.byteOffset + at, total), lists);
    else writeNested64(new Float64Array(out.buffer, out.byteOffset + at, total), lists);
    at += pad8(total * width);
  }
  return out;
}

/** Whether `bytes` (inflated) are in this format rather than plain JSON. */
export const isNumberColumns = (bytes: Uint8Array) => bytes.length >= 8 && READABLE_FORMATS.has(bytes[0]!);

export function decodeNumberColumns(bytes: Buffer): unknown {
  if (!isNumberColumns(bytes)) throw new Error('Not a partial with number columns.');
  const textLength = bytes.readUInt32LE(4);
  if (8 + textLength > bytes.length) throw new Error('A partial with number columns is cut short.');
  const [skeleton, heads] = JSON.parse(bytes.toString('utf8', 8, 8 + textLength)) as [unknown, ColumnHead[]];
  // Typed views need aligned offsets: a buffer from zlib starts where it likes.
  const data = bytes.byteOffset % 8 === 0 ? bytes : Buffer.from(bytes);
  const cursor = { at: pad8(8 + textLength) };
  const columns = heads.map((head) => readColumn(data, cursor, head));
  return fill(skeleton, columns);
}

function readView(data: Buffer, cursor: { at: number }, kind: 'i' | 'f' | 'u', count: number): Int32Array | Uint32Array | Float64Array {
  const width = kind === 'f' ? 8 : 4;
  if (cursor.at + count * width > data.length) throw new Error('A partial with number columns is cut short.');
  const offset = data.byteOffset + cursor.at;
  cursor.at += pad8(count * width);
  return kind === 'i' ? new Int32Array(data.buffer, offset, count) : kind === 'u' ? new Uint32Array(data.buffer, offset, count) : new Float64Array(data.buffer, offset, count);
}

function readColumn(data: Buffer, cursor: { at: number }, [kind, count, third]: ColumnHead): Array<number | null> | number[][] {
  if (kind === 'k') return new Array<number | null>(count).fill(third ?? null);
  if (kind === 'ke') {
    const out: number[][] = new Array(count);
    for (let i = 0; i < count; i++) out[i] = [];
    return out;
  }
  if (kind === 'i' || kind === 'f') {
    const v = readView(data, cursor, kind, count);
    // A plain loop into a presized array: Array.from over a typed array took 7 to 14 times as long.
    const out: Array<number | null> = new Array(count);
    if (!third) {
      for (let i = 0; i < count; i++) out[i] = v[i]!;
      return out;
    }
    for (let i = 0; i < count; i++) {
      const x = v[i]!;
      out[i] = x === x ? x : null;
    }
    return out;
  }
  if (kind !== 'ni' && kind !== 'nf') throw new Error(`A partial with number columns has a column of unknown kind ${JSON.stringify(kind)}.`);
  const lengths = readView(data, cursor, 'u', count);
  const v = readView(data, cursor, kind === 'ni' ? 'i' : 'f', third ?? 0);
  const out: number[][] = new Array(count);
  let j = 0;
  for (let i = 0; i < count; i++) {
    const n = lengths[i]!;
    const inner: number[] = new Array(n);
    for (let k = 0; k < n; k++) inner[k] = v[j++]!;
    out[i] = inner;
  }
  return out;
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
