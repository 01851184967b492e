import { Router } from 'express';
import type { Db } from 'mongodb';
import { customersRoutes } from './customers/customers.routes';
import { CustomersService } from './customers/customers.service';
import { measuresRoutes } from './measures/measures.routes';
import { MeasuresService } from './measures/measures.service';
import type { ApiDocs } from './platform/openapi/api-docs';
import { segmentsRoutes } from './segments/segments.routes';
import { SegmentsService } from './segments/segments.service';
import { SegmentsStore } from './segments/segments.store';
import { ResultsCatalog } from './results/results-catalog';
import { resultsRoutes } from './results/results.routes';
import { ResultsService } from './results/results.service';
import type { ResultsRuntime } from './results/results-runtime';

/** Results, customers, segments and measures (issue 5): one router for the composition root. */
/** `publicUrl` is where the API is reached: paging links (nextLink) are absolute, as Graph's are. */
export function resultsFeatureRoutes(docs: ApiDocs, db: Db, runtime: ResultsRuntime, publicUrl: string): Router {
  const results = new ResultsService(db, runtime);
  const segments = new SegmentsService(new SegmentsStore(db), results);
  const router = Router();
  router.use(resultsRoutes(docs, results, new ResultsCatalog(db), publicUrl));
  router.use(customersRoutes(docs, new CustomersService(results), publicUrl));
  router.use(segmentsRoutes(docs, segments, publicUrl));
  router.use(measuresRoutes(docs, new MeasuresService(results)));
  return router;
}
