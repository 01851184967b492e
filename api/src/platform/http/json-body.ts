import express, { type Request, type RequestHandler } from 'express';
import { jsonTextNestsDeeperThan, MAX_INPUT_NESTING } from './input-nesting';

/** JSON request bodies: at most 1 MB, nesting bounded before they are parsed. */
export const JSON_BODY_LIMIT = '1mb';

/** The error body-parser passes on when `verify` refuses a body; mapped to a 400 problem. */
export const TOO_DEEP_TYPE = 'entity.too.deep';

/**
 * Parses JSON bodies, except those `streamed` claims (uploads that read their own body). The
 * raw text's nesting is checked first: a megabyte of `[` would otherwise cost V8 a deep parse
 * and every recursive walker after it a stack overflow.
 */
export function jsonBody(streamed: (req: Request) => boolean): RequestHandler {
  return express.json({
    limit: JSON_BODY_LIMIT,
    type: (req) => !streamed(req as Request) && /json/i.test(String(req.headers['content-type'] ?? '')),
    verify: (_req, _res, raw) => {
      if (jsonTextNestsDeeperThan(raw, MAX_INPUT_NESTING)) throw Object.assign(new Error('JSON nested too deeply'), { type: TOO_DEEP_TYPE, status: 400 });
    },
  });
}
