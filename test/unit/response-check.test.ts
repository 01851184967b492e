import express from 'express';
import request from 'supertest';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { problemDetailsMiddleware } from '../../api/src/platform/errors/problem-details.middleware';
import { defineRoute } from '../../api/src/platform/http/define-route';
import { ApiDocs } from '../../api/src/platform/openapi/api-docs';

const thingSchema = z.object({ id: z.string(), tags: z.array(z.object({ name: z.string() })) });

/** One public route answering `body`, documented as `thingSchema`, with or without the check. */
function appAnswering(body: unknown, checkResponses: boolean) {
  const app = express();
  const router = express.Router();
  defineRoute(router, new ApiDocs({ checkResponses }), {
    method: 'get', path: '/api/thing', summary: 'A thing', tags: ['t'], access: 'public',
    responses: { 200: { description: 'The thing', schema: thingSchema } },
  }, () => body as z.input<typeof thingSchema>);
  app.use('/api', router);
  app.use(problemDetailsMiddleware(pino({ level: 'silent' })));
  return app;
}

describe('responses checked against their OpenAPI schema (on in tests)', () => {
  it('when a route answers what it documents, then the answer goes out unchanged', async () => {
    const body = { id: 'a', tags: [{ name: 'x' }] };
    const res = await request(appAnswering(body, true)).get('/api/thing').expect(200);
    expect(res.body).toEqual(body);
  });

  it('when a route answers a field its schema does not name, even nested, then it is a 500 instead', async () => {
    await request(appAnswering({ id: 'a', tags: [], secret: 1 }, true)).get('/api/thing').expect(500);
    await request(appAnswering({ id: 'a', tags: [{ name: 'x', owner: 'someone' }] }, true)).get('/api/thing').expect(500);
  });

  it('when a route answers a value of the wrong type, then it is a 500 instead', async () => {
    const res = await request(appAnswering({ id: 7, tags: [] }, true)).get('/api/thing').expect(500);
    expect(res.headers['content-type']).toMatch(/problem\+json/);
  });

  it('when the check is off (production), then the answer is sent as the handler returned it', async () => {
    const res = await request(appAnswering({ id: 'a', tags: [], extra: true }, false)).get('/api/thing').expect(200);
    expect(res.body.extra).toBe(true);
  });
});
