import { z } from 'zod';

/** An id in a path or query (an enrichment's, a run's): letters, digits, _ and - only. */
export const idParam = z.string().min(1).max(100).regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, _ and - only');
