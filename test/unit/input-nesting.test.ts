import { describe, expect, it } from 'vitest';
import { isDuplicateKeyError } from '../../api/src/platform/db/duplicate-key';
import { jsonTextNestsDeeperThan, nestsDeeperThan } from '../../api/src/platform/http/input-nesting';

describe('input nesting', () => {
  const deep = (levels: number) => `${'{"a":['.repeat(levels)}1${']}'.repeat(levels)}`;

  it('when a value nests deeper than the limit, then it is seen without recursing, however deep', () => {
    let value: unknown = 1;
    for (let i = 0; i < 200_000; i++) value = { children: [value] };
    expect(nestsDeeperThan(value, 32)).toBe(true);
    expect(nestsDeeperThan({ a: [{ b: 1 }] }, 3)).toBe(false);
    expect(nestsDeeperThan({ a: [{ b: {} }] }, 3)).toBe(true);
    expect(nestsDeeperThan('text', 0)).toBe(false);
  });

  it('when raw JSON text nests deeper than the limit, then brackets inside strings do not count', () => {
    expect(jsonTextNestsDeeperThan(Buffer.from(deep(16)), 32)).toBe(false);
    expect(jsonTextNestsDeeperThan(Buffer.from(deep(17)), 32)).toBe(true);
    expect(jsonTextNestsDeeperThan(Buffer.from(`{"s":"${'['.repeat(100)}\\"${'{'.repeat(100)}"}`), 2)).toBe(false);
    expect(jsonTextNestsDeeperThan(Buffer.from('['.repeat(1_000_000)), 32)).toBe(true);
  });
});

describe('duplicate key errors', () => {
  it('when MongoDB or FerretDB report a unique-index violation, then both are recognised, and nothing else is', () => {
    expect(isDuplicateKeyError({ code: 11000, message: 'E11000 duplicate key error' })).toBe(true);
    expect(isDuplicateKeyError({ code: 1, message: '[update.go:114] constraint failed: UNIQUE constraint failed: index x (2067)' })).toBe(true);
    expect(isDuplicateKeyError({ code: 1, message: 'something else' })).toBe(false);
    expect(isDuplicateKeyError(new Error('UNIQUE constraint failed'))).toBe(false);
    expect(isDuplicateKeyError(null)).toBe(false);
  });
});
