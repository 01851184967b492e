import { Router, type Response } from 'express';
import { privacyStatement, termsOfUse } from './legal.content';
import { renderLegalPage } from './legal-page';

/**
 * `GET /privacy` and `GET /terms`: the pages the Teams manifest names as the developer's
 * privacyUrl and termsOfUseUrl. Public (the store and admins open them without signing in),
 * rendered once at start since they never change while the process runs.
 */
export function legalRoutes(): Router {
  const router = Router();
  const pages = [
    { path: privacyStatement.path, html: renderLegalPage(privacyStatement, termsOfUse) },
    { path: termsOfUse.path, html: renderLegalPage(termsOfUse, privacyStatement) },
  ];
  for (const page of pages) {
    router.get(page.path, (_req, res) => send(res, page.html));
  }
  return router;
}

function send(res: Response, html: string): void {
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  // No script, no external asset: the policy allows the inline style and nothing else.
  res.setHeader('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'");
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Cache-Control', 'public, max-age=3600');
  res.send(html);
}
