import { Router } from 'express';
import type { Db } from 'mongodb';
import type { Logger } from 'pino';
import { createAppTokenProbe } from './consent/app-token-probe';
import { consentCallbackRoutes, consentRoutes } from './consent/consent.routes';
import { ConsentService } from './consent/consent.service';
import { ConsentStore } from './consent/consent.store';
import { datasetsRoutes } from './datasets/datasets.routes';
import { DatasetsService } from './datasets/datasets.service';
import { DatasetsStore } from './datasets/datasets.store';
import { directoryRoutes } from './directory/directory.routes';
import { DirectoryService } from './directory/directory.service';
import type { AppConfig } from './platform/config/config';
import type { GraphClientFactory } from './platform/graph/graph-client.factory';
import type { ApiDocs } from './platform/openapi/api-docs';
import { enrichmentsRoutes } from './enrichments/enrichments.routes';
import { EnrichmentsService } from './enrichments/enrichments.service';
import { EnrichmentsStore } from './enrichments/enrichments.store';

/**
 * The admin half of the product wired together: customer datasets, the directory (people
 * picker, prerequisites), enrichments and tenant admin consent.
 */
export interface AdminFeaturesDeps {
  config: AppConfig;
  db: Db;
  graph: GraphClientFactory;
  logger: Logger;
  /** Told when an enrichment is deleted (the process forgets its published result). */
  onEnrichmentDeleted: (tenantId: string, enrichmentId: string) => void;
}

export function createAdminFeatures(deps: AdminFeaturesDeps) {
  const { config, db, graph, logger } = deps;
  const datasetsStore = new DatasetsStore(db);
  const enrichmentsStore = new EnrichmentsStore(db);
  const datasets = new DatasetsService(datasetsStore, (tenantId, datasetId) => enrichmentsStore.usingDataset(tenantId, datasetId));
  const directory = new DirectoryService(graph, (tenantId) => datasetsStore.countDatasetsWithContacts(tenantId));
  const consent = new ConsentService(
    { clientId: config.auth.clientId, authorityHost: config.auth.authorityHost, publicUrl: config.http.publicUrl, stateSecret: config.consent.stateSecret },
    new ConsentStore(db),
    enrichmentsStore,
    directory,
    graph,
    createAppTokenProbe(config, logger),
    logger,
  );
  const enrichments = new EnrichmentsService(enrichmentsStore, datasets, directory, consent);
  enrichments.onDeleted(deps.onEnrichmentDeleted);
  return {
    datasetsStore,
    enrichmentsStore,
    /** Public: the browser lands on the consent callback without a bearer token. */
    publicRoutes: (docs: ApiDocs) => consentCallbackRoutes(docs, consent, config.http.publicUrl),
    routes: (docs: ApiDocs) =>
      Router().use(datasetsRoutes(docs, datasets), directoryRoutes(docs, directory), enrichmentsRoutes(docs, enrichments), consentRoutes(docs, consent)),
  };
}
