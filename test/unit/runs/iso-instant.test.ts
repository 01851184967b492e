import { describe, expect, it } from 'vitest';
import { parseIsoInstant } from '../../../api/src/runs/domain/iso-instant';

describe('parseIsoInstant', () => {
  it('when given the instants Graph sends, then it answers what Date.parse answers', () => {
    const samples: string[] = [];
    for (let i = 0; i < 5000; i++) {
      const iso = new Date(Date.UTC(2024, 0, 1) + i * 7_654_321_9).toISOString();
      samples.push(iso, iso.replace(/\.\d{3}Z$/, 'Z'), iso.replace(/Z$/, '0000Z'), iso.replace(/\d\dZ$/, 'Z'), iso.replace(/\d\d\dZ$/, '5Z'));
    }
    for (const s of samples) expect(parseIsoInstant(s), s).toBe(Date.parse(s));
  });

  it('when the string is not a plain UTC instant, then it answers what Date.parse answers', () => {
    for (const s of ['2026-02-30T10:00:00Z', '2026-12-31T24:00:00Z', '2026-02-29T00:00:00Z', '2024-02-29T23:59:59.999Z', '2026-01-01T10:00:00+02:00', '2026-01-01T10:00:00', '2026-1-01T10:00:00Z', '2026-13-01T10:00:00Z', 'xxxx-01-01T10:00:00Z', '2026-01-01T10:00:00.Z', '2026-01-01T10:00:00.1234567891Z', '2026-01-01T10:00:00.1a3Z', '2026-01-01T10:00:00.12345x7Z', '2026-01-0aT10:00:00Z', '2026-01-01T10:60:00Z', '', 'garbage']) {
      expect(Object.is(parseIsoInstant(s), Date.parse(s)), s).toBe(true);
    }
  });
});
