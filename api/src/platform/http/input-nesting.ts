import { AppError } from '../errors/app-error';

/**
 * How deep any JSON input may nest. The deepest legitimate input (a condition tree of four
 * groups) nests about fifteen levels; zod's recursive schemas and our own walkers recurse once
 * per level, so a hostile nesting of thousands of levels must be refused before they run.
 */
export const MAX_INPUT_NESTING = 32;

/** True when a parsed value nests deeper than `limit` objects/arrays. Iterative: never recurses. */
export function nestsDeeperThan(value: unknown, limit: number): boolean {
  const pending: Array<{ node: object; depth: number }> = [];
  if (typeof value === 'object' && value !== null) pending.push({ node: value, depth: 1 });
  while (pending.length) {
    const { node, depth } = pending.pop()!;
    if (depth > limit) return true;
    for (const child of Array.isArray(node) ? node : Object.values(node)) {
      if (typeof child === 'object' && child !== null) pending.push({ node: child, depth: depth + 1 });
    }
  }
  return false;
}

/**
 * The same bound on raw JSON text, before it is parsed: one pass over the bytes, counting
 * brackets outside strings. (Brackets and quotes are ASCII, so UTF-8 bytes can be scanned as is.)
 */
export function jsonTextNestsDeeperThan(text: Uint8Array, limit: number): boolean {
  let depth = 0;
  let inString = false;
  let escaped = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (inString) {
      if (escaped) escaped = false;
      else if (c === 0x5c /* \ */) escaped = true;
      else if (c === 0x22 /* " */) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (++depth > limit) return true;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) depth--;
  }
  return false;
}

export function tooDeeplyNested(where: string): AppError {
  return new AppError('validation', `The request's ${where} nests objects or arrays more than ${MAX_INPUT_NESTING} levels deep; no request of this API needs that many.`, {
    fields: [{ path: where, message: `nested more than ${MAX_INPUT_NESTING} levels` }],
  });
}
