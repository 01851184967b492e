import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { AppError } from '../errors/app-error';
import type { Principal } from './principal';
import type { TokenValidator } from './token-validator';

declare module 'express-serve-static-core' {
  interface Request {
    principal?: Principal;
  }
}

/** Requires a valid bearer token and puts the caller on `req.principal`. */
export function requireAuth(validate: TokenValidator): RequestHandler {
  return async (req: Request, _res: Response, next: NextFunction) => {
    const header = req.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match?.[1]) {
      next(new AppError('unauthenticated', 'Send the Teams SSO token (or an app-only token with EngagementData.Read.All) as "Authorization: Bearer <token>".'));
      return;
    }
    try {
      req.principal = await validate(match[1]);
      next();
    } catch (e) {
      next(e);
    }
  };
}

/** Operations for a signed-in person only: an app-only token is refused. */
export const refuseApps: RequestHandler = (req, _res, next) => {
  if (req.principal?.kind === 'app') {
    next(new AppError('forbidden', 'App-only tokens can read results only (the operations marked x-app-access in /api/openapi.json); this one needs a signed-in user.'));
    return;
  }
  next();
};

/** Only `EngagementAdmin` holders may pass (never an app-only token). */
export const requireAdmin: RequestHandler = (req, _res, next) => {
  if (!req.principal?.isAdmin || req.principal.kind !== 'user') {
    next(new AppError('forbidden', 'Only users with the EngagementAdmin role can do this. Ask your Microsoft 365 administrator to assign it.'));
    return;
  }
  next();
};

/** The authenticated caller; routes behind `requireAuth` can rely on it. */
export function principalOf(req: Request): Principal {
  if (!req.principal) throw new AppError('unauthenticated', 'Sign-in required.');
  return req.principal;
}
