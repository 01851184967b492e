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
});
