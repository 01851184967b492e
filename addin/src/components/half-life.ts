/**
 * The engagement score's half-life as an admin types it: the API's bounds, and what is wrong with
 * a typed value. The server checks the same rules (api/src/enrichments/enrichments.schema.ts);
 * these exist so a mistake shows next to the field.
 */
export const halfLifeLimits = { min: 7, max: 365, default: 30 } as const;

export type HalfLifeProblem = 'required' | 'whole' | 'range';

export function halfLifeProblem(text: string): HalfLifeProblem | null {
  const value = text.trim();
  if (value === '') return 'required';
  if (!/^\d+$/.test(value)) return 'whole';
  const days = Number(value);
  return days < halfLifeLimits.min || days > halfLifeLimits.max ? 'range' : null;
}

/** The days of a valid typed value (check `halfLifeProblem` first). */
export function halfLifeDaysOf(text: string): number {
  return Number(text.trim());
}
