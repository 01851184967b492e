import { Router } from 'express';
import { principalOf } from '../platform/auth/auth.middleware';
import { defineRoute } from '../platform/http/define-route';
import type { ApiDocs } from '../platform/openapi/api-docs';
import { enrichmentIdParam } from '../enrichments/enrichments.schema';
import { alertOwnersView, alertSettingsBody, alertSettingsView, muteBody, muteView } from './alerts.schema';
import type { AlertsService } from './alerts.service';

/** Account alerts: the admin's settings and owners report per enrichment, each seller's own mute. */
export function alertsRoutes(docs: ApiDocs, service: AlertsService): Router {
  const router = Router();

  defineRoute(router, docs, {
    method: 'get', path: '/api/enrichments/:id/alerts', summary: 'The enrichment\'s account alert settings (off by default)', tags: ['alerts'], access: 'admin',
    params: enrichmentIdParam,
    responses: { 200: { description: 'The settings, or the defaults when none were saved', schema: alertSettingsView } },
  }, ({ req, params }) => service.settings(principalOf(req).tenantId, params.id));

  defineRoute(router, docs, {
    method: 'put', path: '/api/enrichments/:id/alerts', summary: 'Turn account alerts on or off and choose their thresholds', tags: ['alerts'], access: 'admin',
    params: enrichmentIdParam,
    body: alertSettingsBody,
    responses: {
      200: { description: 'Saved; applies from the next publish', schema: alertSettingsView },
      400: { description: 'validation: a threshold out of range, or alerts turned on without an owner column mapped' },
    },
  }, ({ req, params, body }) => service.saveSettings(principalOf(req), params.id, body));

  defineRoute(router, docs, {
    method: 'get', path: '/api/enrichments/:id/alerts/owners', summary: 'The last run\'s alerts for the admin: owners without the app, owner values that name nobody, counts', tags: ['alerts'], access: 'admin',
    params: enrichmentIdParam,
    responses: { 200: { description: 'The report of the latest run that computed alerts', schema: alertOwnersView } },
  }, ({ req, params }) => service.owners(principalOf(req).tenantId, params.id));

  defineRoute(router, docs, {
    method: 'get', path: '/api/me/alerts', summary: 'Whether the signed-in seller muted their account alerts', tags: ['alerts'], access: 'user',
    responses: { 200: { description: 'Their own setting', schema: muteView } },
  }, ({ req }) => service.mute(principalOf(req)));

  defineRoute(router, docs, {
    method: 'put', path: '/api/me/alerts', summary: 'Mute or unmute the signed-in seller\'s own account alerts', tags: ['alerts'], access: 'user',
    body: muteBody,
    responses: { 200: { description: 'Saved', schema: muteView }, 400: { description: 'validation: muted must be true or false' } },
  }, ({ req, body }) => service.setMute(principalOf(req), body.muted));

  return router;
}
