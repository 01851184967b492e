import express, { Router, type Express } from 'express';
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from 'mongodb';
import { pinoHttp } from 'pino-http';
import type { Logger } from 'pino';
import { devSignInRoutes } from './dev/dev-sign-in.routes';
import type { SimulatorClient } from './dev/simulator.client';
import { isStreamedUpload } from './datasets/datasets.routes';
import { createAdminFeatures } from './admin-features';
import { healthRoutes } from './health/health.routes';
import { legalRoutes } from './legal/legal.routes';
import { requireAuth } from './platform/auth/auth.middleware';
import type { TokenValidator } from './platform/auth/token-validator';
import type { AppConfig } from './platform/config/config';
import { problemDetailsMiddleware, routeOf, unmatchedRoute } from './platform/errors/problem-details.middleware';
import type { GraphClientFactory } from './platform/graph/graph-client.factory';
import { jsonBody } from './platform/http/json-body';
import { noStore, securityHeaders } from './platform/http/security-headers';
import { ApiDocs } from './platform/openapi/api-docs';
import { openApiRoutes } from './platform/openapi/openapi.routes';
import { resultsFeatureRoutes } from './results-features';
import { publicConfigRoutes, sessionRoutes } from './session/session.routes';
import { tenantRoutes } from './tenant/tenant.routes';
import { runsRoutes } from './runs/runs.routes';
import { RunsService } from './runs/runs.service';
import { mailboxHealthRoutes } from './mailbox-health/mailbox-health.routes';
import { MailboxHealthService } from './mailbox-health/mailbox-health.service';
import { estimateRoutes } from './estimate/estimate.routes';
import { EstimateService, estimateModelFor } from './estimate/estimate.service';
import { unmatchedDomainsRoutes } from './unmatched-domains/unmatched-domains.routes';
import { UnmatchedDomainsService } from './unmatched-domains/unmatched-domains.service';
import type { JobQueue } from './runs/jobs/job-queue';
import type { ResultsRuntime } from './results/results-runtime';
import { webhooksRoutes } from './webhooks/webhooks.routes';
import { alertsRoutes } from './alerts/alerts.routes';
import { alertOptionsFrom, alertsServiceFrom } from './alerts/alerts.feature';
import { webhooksServiceFrom } from './webhooks/webhooks.feature';
import { webhookOptionsFrom } from './webhooks/webhooks.service';

export interface AppDependencies {
  config: AppConfig;
  db: Db;
  logger: Logger;
  validateToken: TokenValidator;
  graph: GraphClientFactory;
  /** Present only in development configurations with DEV_SIGN_IN. */
  simulator?: SimulatorClient;
  /** The run job queue (agenda); the API enqueues, workers process. */
  jobs: JobQueue;
  /** The clock runs' as-of follows; tests pass the simulated tenant's. */
  runsClock?: () => Date;
  /** Published results: which run is current, and the snapshots loaded in this process's DuckDB. */
  results: ResultsRuntime;
}

/** The composition root: builds the Express app from its dependencies. It never listens. */
export function createApp(deps: AppDependencies): Express {
  const { config, db, logger } = deps;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(
    pinoHttp({
      logger,
      // Method and route pattern only: paths and query strings carry ids, search terms and
      // whatever a client puts there (an address), and the logs must stay free of personal data.
      serializers: {
        req: (req: { method: string; id: unknown }) => ({ id: req.id, method: req.method }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
      customProps: (_req, res) => (res.writableEnded || res.headersSent ? { route: routeOf(res as express.Response) ?? 'unmatched' } : {}),
      autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/readyz' },
    }),
  );
  app.use(securityHeaders({ teamsHostOrigins: config.env === 'production' ? [] : config.dev.teamsHostOrigins }));
  app.use('/api', noStore);
  // Dataset uploads stream their own body (CSV/JSON files far above 1 MB).
  app.use(jsonBody(isStreamedUpload));

  const docs = new ApiDocs({ checkResponses: config.env === 'test' });
  app.use(healthRoutes(docs, db));
  // The manifest's privacyUrl and termsOfUseUrl; before the tab's catch-all, which would serve index.html.
  app.use(legalRoutes());
  app.use(
    '/api',
    publicConfigRoutes(docs, {
      clientId: config.auth.clientId,
      appIdUri: config.auth.appIdUri,
      devSignIn: Boolean(deps.simulator),
      teamsHostOrigins: config.dev.teamsHostOrigins,
    }),
  );
  if (deps.simulator && config.env !== 'production') app.use('/api', devSignInRoutes(docs, deps.simulator));
  const admin = createAdminFeatures({ ...deps, onEnrichmentDeleted: (tenantId, id) => deps.results.current.forget(tenantId, id) });
  app.use('/api', admin.publicRoutes(docs));

  const authed = Router();
  authed.use(requireAuth(deps.validateToken));
  authed.use(sessionRoutes(docs));
  authed.use(tenantRoutes(docs, deps.graph));
  authed.use(admin.routes(docs));
  authed.use(resultsFeatureRoutes(docs, db, deps.results, config.http.publicUrl));
  const estimates = new EstimateService({ db, jobs: deps.jobs, now: deps.runsClock, model: estimateModelFor(config.worker.mailboxConcurrency) });
  const runs = new RunsService({ db, jobs: deps.jobs, logger, now: deps.runsClock, allowExplicitAsOf: config.env !== 'production', estimateAtStart: (e) => estimates.settledFor(e) });
  authed.use(runsRoutes(docs, runs));
  authed.use(mailboxHealthRoutes(docs, new MailboxHealthService(db, runs)));
  authed.use(unmatchedDomainsRoutes(docs, new UnmatchedDomainsService(db)));
  authed.use(estimateRoutes(docs, estimates));
  authed.use(webhooksRoutes(docs, webhooksServiceFrom(db, webhookOptionsFrom(config), logger)));
  authed.use(alertsRoutes(docs, alertsServiceFrom(db, deps.graph, alertOptionsFrom(config), logger)));

  app.use(
    '/api',
    openApiRoutes(docs, {
      title: 'Account engagement API',
      version: '0.1.0',
      serverUrl: config.http.publicUrl,
      appOnly: { authorityHost: config.auth.authorityHost, scope: `${config.auth.appIdUri}/.default` },
    }),
  );
  app.use('/api', authed);

  serveTab(app, path.resolve(config.tabDistDir), logger);
  app.use(unmatchedRoute((p) => docs.methodsAt(p)));
  app.use(problemDetailsMiddleware(logger));
  return app;
}

/**
 * What a ROLE=worker process serves: liveness and readiness only, so hosts that expect every
 * instance to answer HTTP (App Service pings its instances) can run workers.
 */
export function createWorkerApp(deps: Pick<AppDependencies, 'db' | 'logger'>): Express {
  const app = express();
  app.disable('x-powered-by');
  const docs = new ApiDocs();
  app.use(healthRoutes(docs, deps.db));
  app.use(unmatchedRoute((p) => docs.methodsAt(p)));
  app.use(problemDetailsMiddleware(deps.logger));
  return app;
}

/** Serves the built tab; unknown non-API paths get index.html so deep links work. */
function serveTab(app: Express, dir: string, logger: Logger): void {
  const index = path.join(dir, 'index.html');
  if (!fs.existsSync(index)) {
    logger.warn('The tab is not built (run npm run build:tab); only the API is served.');
    return;
  }
  app.use(express.static(dir, { index: false, maxAge: '1h', setHeaders: tabAssetHeaders }));
  app.get(/^\/(?!api(?:\/|$)).*/, (_req, res) => {
    res.locals.route = 'tab';
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  });
}

function tabAssetHeaders(res: express.Response, file: string): void {
  res.locals.route = 'tab-asset';
  if (file.endsWith('.html')) res.setHeader('Cache-Control', 'no-cache');
}
