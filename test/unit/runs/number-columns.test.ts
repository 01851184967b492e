import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { Binary } from 'mongodb';
import { decodeNumberColumns, encodeNumberColumns, isNumberColumns } from '../../../api/src/runs/output/number-columns';
import { decodePartial, encodePartial } from '../../../api/src/runs/output/partials-codec';

/** What JSON would give back: the contract of the number columns. */
const viaJson = (v: unknown) => JSON.parse(JSON.stringify(v)) as unknown;

/** A mailbox-state-like value: long columns of instants, small counts, nested index lists, strings. */
function stateLike(seed: number, rows: number) {
  const at = (i: number) => 1_700_000_000_000 + i * 3_600_001 + seed;
  return {
    emailColumns: {
      accounts: Array.from({ length: rows }, (_, i) => `ACC-${seed}-${i}`),
      counts: Array.from({ length: rows }, (_, i) => (i * 7 + seed) % 5),
      h: Array.from({ length: rows }, (_, i) => at(i)),
      n: [Array.from({ length: rows }, (_, i) => i % 3), Array.from({ length: rows }, () => 0)],
      d: [Array.from({ length: rows }, (_, i) => i * 68_719_476_736 + 17)],
      selectedOnEmails: Array.from({ length: rows }, (_, i) => Array.from({ length: i % 4 }, (_, k) => (k * 31 + i) % 2500)),
      first: Array.from({ length: rows }, (_, i) => (i % 5 === 0 ? null : at(i) + 5)),
      fractions: Array.from({ length: rows }, (_, i) => i / 7),
    },
    tails: { keys: ['a', 'b'], at: [1, 2], fromOrganisation: [true, false] },
    calendar: { deltaLink: 'https://graph.microsoft.com/v1.0/users/x/calendarView/delta?$deltatoken=abc', windowStart: at(0), windowEnd: at(1), ledger: { keys: [], start: [] } },
    short: [1, 2, 3],
    mixed: Array.from({ length: 10 }, (_, i) => (i % 2 ? i : `s${i}`)),
  };
}

describe('number columns', () => {
  it('when a partial with long number columns is encoded and decoded, then it comes back as JSON would give it', () => {
    for (const rows of [0, 7, 8, 9, 100, 2000]) {
      const value = stateLike(rows, rows);
      const bytes = encodeNumberColumns(value);
      expect(isNumberColumns(bytes)).toBe(true);
      expect(decodeNumberColumns(bytes)).toEqual(viaJson(value));
    }
  });

  it('when columns hold what JSON changes (NaN, Infinity, -0, null, undefined), then they come back changed as JSON changes them', () => {
    const value = {
      flat: [1, -0, NaN, Infinity, -Infinity, null, 2 ** 31, -(2 ** 31), 0.5, 3],
      ints: [0, -0, 1, 2, 3, 4, 5, 6, 7],
      nested: [[1, 2], [], [-0], [4], [5], [6], [7], [8, 2 ** 40]],
      nestedNaN: [[1, NaN], [], [3], [4], [5], [6], [7], [8]],
      holes: [1, 2, undefined, 4, 5, 6, 7, 8],
      date: new Date(Date.UTC(2026, 0, 1)),
    };
    const back = decodeNumberColumns(encodeNumberColumns(value));
    expect(back).toEqual(viaJson(value));
    expect(Object.is((back as { ints: number[] }).ints[1], 0)).toBe(true);
    expect(Object.is((back as { flat: number[] }).flat[1], 0)).toBe(true);
  });

  it('when the decoded bytes start at an offset that is not a multiple of 8, then the columns are still read right', () => {
    const value = stateLike(3, 50);
    const bytes = encodeNumberColumns(value);
    const shifted = Buffer.alloc(bytes.length + 3);
    bytes.copy(shifted, 3);
    expect(decodeNumberColumns(shifted.subarray(3))).toEqual(viaJson(value));
  });

  it('when the bytes are cut short, then decoding fails with a clear error instead of returning a partial value', () => {
    const bytes = encodeNumberColumns(stateLike(1, 100));
    expect(() => decodeNumberColumns(bytes.subarray(0, bytes.length - 16))).toThrow(/cut short/);
  });

  it('when a value uses the key reserved for columns, then encoding refuses it', () => {
    expect(() => encodeNumberColumns({ '\u0000': 1 })).toThrow(/reserved/);
  });

  it('when a partial was stored as plain JSON (before number columns), then decodePartial still reads it', async () => {
    const value = stateLike(2, 40);
    const stored = new Binary(zlib.deflateRawSync(Buffer.from(JSON.stringify(value))));
    expect(await decodePartial(stored)).toEqual(viaJson(value));
    expect(await decodePartial(await encodePartial(value))).toEqual(viaJson(value));
  });

  it('when bucket columns are stored, then compressed they take no more than a quarter over their compressed JSON', () => {
    const value = stateLike(5, 5000);
    const columns = zlib.deflateRawSync(encodeNumberColumns(value), { level: 3 }).length;
    const json = zlib.deflateRawSync(Buffer.from(JSON.stringify(value)), { level: 3 }).length;
    expect(columns).toBeLessThan(json * 1.25);
  });

  it('when a partial holds typed arrays of any length, then they come back as plain arrays of their values (NaN as null, -0 as 0)', () => {
    const value = {
      ints: new Int32Array([3, -1, 2 ** 31 - 1]),
      wholeDoubles: new Float64Array([1, 2, 3, 4, 5, 6, 7, 8, 9]),
      doubles: new Float64Array([0.5, 2 ** 40, -0, NaN, Infinity, 7]),
      empty: new Float64Array(0),
      nested: { columns: [new Int32Array([1]), new Float64Array([2 ** 53 - 1])] },
    };
    const back = decodeNumberColumns(encodeNumberColumns(value));
    expect(back).toEqual({
      ints: [3, -1, 2 ** 31 - 1],
      wholeDoubles: [1, 2, 3, 4, 5, 6, 7, 8, 9],
      doubles: [0.5, 2 ** 40, 0, null, null, 7],
      empty: [],
      nested: { columns: [[1], [2 ** 53 - 1]] },
    });
    expect(Object.is((back as { doubles: number[] }).doubles[2], 0)).toBe(true);
  });

  it('when every value of a column is the same, or every inner list of a nested one is empty, then the column takes no bytes and comes back whole', () => {
    const rows = 5000;
    const varied = { a: Array.from({ length: rows }, (_, i) => i * 3), b: new Float64Array(rows).map((_, i) => i * 0.5) };
    const same = {
      a: Array.from({ length: rows }, () => 7),
      b: new Float64Array(rows),
      c: Array.from({ length: rows }, () => null),
      d: new Int32Array(rows).fill(-4),
      e: Array.from({ length: rows }, () => [] as number[]),
      f: new Float64Array(rows).fill(2 ** 40),
      g: Array.from({ length: rows }, () => -0),
    };
    const bytes = encodeNumberColumns(same);
    expect(bytes.length).toBeLessThan(400);
    expect(encodeNumberColumns(varied).length).toBeGreaterThan(rows * 12);
    expect(decodeNumberColumns(bytes)).toEqual({ ...(viaJson(same) as object), b: new Array(rows).fill(0), d: new Array(rows).fill(-4), f: new Array(rows).fill(2 ** 40) });
  });

  it('when bytes were written in format 1 (before constant columns), then they are still read', () => {
    const value = stateLike(4, 60);
    const bytes = Buffer.from(encodeNumberColumns(value));
    bytes[0] = 1;
    expect(isNumberColumns(bytes)).toBe(true);
    expect(decodeNumberColumns(bytes)).toEqual(viaJson(value));
  });

  it('when a column is of a kind this version does not know, then decoding fails with a clear error', () => {
    const bytes = encodeNumberColumns({ a: Array.from({ length: 10 }, (_, i) => [i]) });
    const text = bytes.toString('utf8', 8, 8 + bytes.readUInt32LE(4)).replace('"ni"', '"zz"');
    const changed = Buffer.from(bytes);
    changed.write(text, 8, 'utf8');
    expect(() => decodeNumberColumns(changed)).toThrow(/unknown kind "zz"/);
  });

  it('when a partial holds a typed array other than int32 or float64, then encoding refuses it', () => {
    expect(() => encodeNumberColumns({ a: new Uint8Array(4) })).toThrow(/int32 or float64/);
  });
});
