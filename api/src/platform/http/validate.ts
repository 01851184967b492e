import type { z } from 'zod';
import { AppError } from '../errors/app-error';
import { MAX_INPUT_NESTING, nestsDeeperThan, tooDeeplyNested } from './input-nesting';

/**
 * Parses a value with a zod schema or throws a `validation` AppError naming each bad field.
 * The nesting depth is bounded first, iteratively, so recursive schemas never see a hostile tree.
 */
export function validate<S extends z.ZodType>(schema: S, value: unknown, where: 'query' | 'body' | 'path'): z.output<S> {
  if (nestsDeeperThan(value, MAX_INPUT_NESTING)) throw tooDeeplyNested(where);
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const fields = result.error.issues.map((i) => ({
    path: [where, ...i.path.map(String)].join('.'),
    message: i.message,
  }));
  const summary = fields.map((f) => `${f.path}: ${f.message}`).join('; ');
  throw new AppError('validation', `The ${where === 'path' ? 'URL' : where} is not valid: ${summary}`, { fields });
}
