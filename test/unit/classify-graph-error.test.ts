import { describe, expect, it } from 'vitest';
import { classifyGraphError, graphErrorFacts, type GraphErrorFacts, type GraphErrorKind } from '../../api/src/platform/graph/classify-graph-error';

const table: Array<[string, GraphErrorFacts, GraphErrorKind]> = [
  ['mailbox concurrency 429', { status: 429, code: 'ApplicationThrottled' }, 'throttled'],
  ['429 without a code', { status: 429 }, 'throttled'],
  ['expired delta token', { status: 410, code: 'SyncStateNotFound' }, 'cursor-expired'],
  ['invalid delta token code without status', { code: 'SyncStateInvalid' }, 'cursor-expired'],
  ['bad token', { status: 401, code: 'InvalidAuthenticationToken' }, 'auth'],
  ['MSAL without a service principal in the tenant', { code: 'invalid_client', message: 'AADSTS700016: Application with identifier was not found' }, 'consent-required'],
  ['missing service principal', { message: 'AADSTS7000229: missing service principal' }, 'consent-required'],
  ['permission missing', { status: 403, code: 'Authorization_RequestDenied' }, 'forbidden'],
  ['mailbox access denied', { status: 403, code: 'ErrorAccessDenied' }, 'forbidden'],
  ['unknown user', { status: 404, code: 'Request_ResourceNotFound' }, 'not-found'],
  ['service unavailable', { status: 503, code: 'ServiceUnavailable' }, 'transient'],
  ['gateway timeout', { status: 504 }, 'transient'],
  ['dropped connection', { networkCode: 'ECONNRESET' }, 'transient'],
  ['bad filter', { status: 400, code: 'InefficientFilter' }, 'bad-request'],
  ['nothing known', {}, 'unknown'],
];

describe('classifyGraphError', () => {
  it.each(table)('when %s, then it is classified as expected', (_name, facts, kind) => {
    expect(classifyGraphError(facts)).toBe(kind);
  });
});

describe('graphErrorFacts', () => {
  it('when given a Graph client error, then status and code are read', () => {
    expect(graphErrorFacts({ statusCode: 429, code: 'ApplicationThrottled', message: 'over limit' })).toMatchObject({ status: 429, code: 'ApplicationThrottled' });
  });

  it('when given an MSAL ServerError, then the AADSTS text is kept for classification', () => {
    const facts = graphErrorFacts({ errorCode: 'invalid_client', errorMessage: 'AADSTS700016: not found in the directory' });
    expect(classifyGraphError(facts)).toBe('consent-required');
  });

  it('when given a fetch failure, then the network code comes from the cause', () => {
    const facts = graphErrorFacts(Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNRESET' } }));
    expect(classifyGraphError(facts)).toBe('transient');
  });
});
