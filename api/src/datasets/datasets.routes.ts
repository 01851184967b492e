import type { Readable } from 'node:stream';
import { Router, type Request } from 'express';
import { z } from 'zod';
import { principalOf } from '../platform/auth/auth.middleware';
import { sendCsv } from '../platform/csv/csv-writer';
import { defineRoute } from '../platform/http/define-route';
import { assertAnnouncedLength, decodedBody } from '../platform/http/request-body';
import type { ApiDocs } from '../platform/openapi/api-docs';
import type { DatasetsService } from './datasets.service';
import { MAX_UPLOAD_BYTES, UPLOAD_MEDIA_TYPES } from './record-stream';
import {
  accountsUploadQuery,
  commitBody,
  contactsUploadQuery,
  createImportBody,
  datasetIdParam,
  datasetSummarySchema,
  importIdParam,
  importSessionSchema,
  mappingPreviewQuery,
  mappingPreviewSchema,
  pagingQuery,
  previewQuery,
  previewSchema,
  rejectionsPageSchema,
} from './datasets.schema';

const REJECTION_COLUMNS = ['stage', 'row', 'column', 'reason', 'message', 'value'] as const;

const UPLOAD_PATH = /^\/api\/datasets\/(?:imports\/[^/]+\/(?:accounts|contacts)|preview)\/?$/;

/**
 * Upload routes read their body as a stream; the app's JSON body parser must leave them alone
 * (it would buffer the file and cap it at its small limit).
 */
export function isStreamedUpload(req: Request): boolean {
  return (req.method === 'PUT' || req.method === 'POST') && UPLOAD_PATH.test(req.originalUrl.split('?')[0]!);
}

const UPLOAD_NOTE = 'Body: text/csv (header row), application/json (array of flat objects) or application/x-ndjson, streamed, optionally with Content-Encoding gzip, deflate or br. At most 200 MB, 1,000 columns, a 64 KB CSV header and 1 MB per row.';

export function datasetsRoutes(docs: ApiDocs, service: DatasetsService): Router {
  const router = Router();
  const tenant = (req: Request) => principalOf(req).tenantId;

  // The upload as sent (decompressed, its announced size checked); whatever happens, its
  // remaining body is drained so the reply gets through.
  const streamed = <T>(req: Request, work: (body: Readable) => Promise<T>) =>
    Promise.resolve()
      .then(() => {
        assertAnnouncedLength(req, MAX_UPLOAD_BYTES);
        return work(decodedBody(req));
      })
      .catch((e: unknown) => {
        req.unpipe();
        req.resume();
        throw e;
      });

  defineRoute(router, docs, {
    method: 'get', path: '/api/datasets', summary: 'Customer datasets (accounts with contacts)', tags: ['datasets'], access: 'admin',
    responses: { 200: { description: 'Datasets, most recently changed first', schema: z.object({ items: z.array(datasetSummarySchema) }) } },
  }, async ({ req }) => ({ items: await service.list(tenant(req)) }));

  defineRoute(router, docs, {
    method: 'post', path: '/api/datasets/preview', summary: `First rows and columns of a file, nothing stored. ${UPLOAD_NOTE}`, tags: ['datasets'], access: 'admin',
    query: previewQuery, streamedBody: UPLOAD_MEDIA_TYPES,
    responses: { 200: { description: 'Columns and the first rows', schema: previewSchema } },
  }, ({ req, query }) => streamed(req, (body) => service.preview(body, req.headers['content-type'], query.limit)));

  defineRoute(router, docs, {
    method: 'post', path: '/api/datasets/imports', summary: 'Start an import (a new dataset, or a new version of one)', tags: ['datasets'], access: 'admin',
    body: createImportBody,
    responses: { 201: { description: 'The import session', schema: importSessionSchema } },
  }, ({ req, body }) => service.createImport(principalOf(req), body));

  defineRoute(router, docs, {
    method: 'get', path: '/api/datasets/imports/:importId', summary: 'An import session and its stage reports', tags: ['datasets'], access: 'admin',
    params: importIdParam,
    responses: { 200: { description: 'The import session', schema: importSessionSchema } },
  }, ({ req, params }) => service.getImport(tenant(req), params.importId));

  defineRoute(router, docs, {
    method: 'put', path: '/api/datasets/imports/:importId/accounts', summary: `Upload the accounts with a column mapping. ${UPLOAD_NOTE}`, tags: ['datasets'], access: 'admin',
    params: importIdParam, query: accountsUploadQuery, streamedBody: UPLOAD_MEDIA_TYPES,
    responses: { 200: { description: 'The import session with the accounts report', schema: importSessionSchema } },
  }, ({ req, params, query }) => streamed(req, (body) => service.uploadAccounts(tenant(req), params.importId, body, req.headers['content-type'], query)));

  defineRoute(router, docs, {
    method: 'put', path: '/api/datasets/imports/:importId/contacts', summary: `Upload the contacts with a column mapping. ${UPLOAD_NOTE}`, tags: ['datasets'], access: 'admin',
    params: importIdParam, query: contactsUploadQuery, streamedBody: UPLOAD_MEDIA_TYPES,
    responses: { 200: { description: 'The import session with the contacts report', schema: importSessionSchema } },
  }, ({ req, params, query }) => streamed(req, (body) => service.uploadContacts(tenant(req), params.importId, body, req.headers['content-type'], query)));

  defineRoute(router, docs, {
    method: 'post', path: '/api/datasets/imports/:importId/commit', summary: 'Commit the import: all-or-nothing, or the valid rows only', tags: ['datasets'], access: 'admin',
    params: importIdParam, body: commitBody,
    responses: { 200: { description: 'The dataset as now current', schema: datasetSummarySchema } },
  }, ({ req, params, body }) => service.commit(principalOf(req), params.importId, body.mode));

  defineRoute(router, docs, {
    method: 'get', path: '/api/datasets/imports/:importId/rejections', summary: 'Rejected rows of an import', tags: ['datasets'], access: 'admin',
    params: importIdParam, query: pagingQuery,
    responses: { 200: { description: 'Rejected rows by stage and row', schema: rejectionsPageSchema } },
  }, ({ req, params, query }) => service.rejections(tenant(req), params.importId, query.offset, query.limit));

  defineRoute(router, docs, {
    method: 'get', path: '/api/datasets/imports/:importId/rejections.csv', summary: 'Rejected rows of an import as a CSV download', tags: ['datasets'], access: 'admin',
    params: importIdParam,
    responses: { 200: { description: 'stage,row,column,reason,message,value', schema: z.string(), contentType: 'text/csv' } },
  }, async ({ req, res, params }) => {
    const rows = await service.rejectionStream(tenant(req), params.importId);
    await sendCsv(res, {
      name: `rejected-rows-${params.importId}.csv`,
      columns: REJECTION_COLUMNS,
      rows: (async function* () {
        for await (const r of rows) yield REJECTION_COLUMNS.map((c) => r[c]);
      })(),
    });
    return undefined;
  });

  defineRoute(router, docs, {
    method: 'delete', path: '/api/datasets/imports/:importId', summary: 'Discard an import (committed data is untouched)', tags: ['datasets'], access: 'admin',
    params: importIdParam,
    responses: { 204: { description: 'Discarded' } },
  }, async ({ req, params }) => {
    await service.discard(tenant(req), params.importId);
    return undefined;
  });

  defineRoute(router, docs, {
    method: 'get', path: '/api/datasets/:datasetId', summary: 'One dataset', tags: ['datasets'], access: 'admin',
    params: datasetIdParam,
    responses: { 200: { description: 'The dataset', schema: datasetSummarySchema } },
  }, ({ req, params }) => service.get(tenant(req), params.datasetId));

  defineRoute(router, docs, {
    method: 'get', path: '/api/datasets/:datasetId/mapping-preview', summary: 'Sample values and usable-address count for a contact mapping', tags: ['datasets'], access: 'admin',
    params: datasetIdParam, query: mappingPreviewQuery,
    responses: { 200: { description: 'Mapping preview', schema: mappingPreviewSchema } },
  }, ({ req, params, query }) => service.mappingPreview(tenant(req), params.datasetId, query, query.limit));

  defineRoute(router, docs, {
    method: 'delete', path: '/api/datasets/:datasetId', summary: 'Delete a dataset no enrichment uses', tags: ['datasets'], access: 'admin',
    params: datasetIdParam,
    responses: { 204: { description: 'Deleted' } },
  }, async ({ req, params }) => {
    await service.delete(tenant(req), params.datasetId);
    return undefined;
  });

  return router;
}
