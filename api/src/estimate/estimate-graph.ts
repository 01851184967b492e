import type { Client } from '@microsoft/microsoft-graph-client';
import { classifyGraphError, graphErrorFacts } from '../platform/graph/classify-graph-error';
import type { MailboxCounts } from './estimate-model';

/**
 * The count requests of the estimate for one mailbox, in one `$batch` (three sub-requests,
 * within Outlook's 4 per mailbox): `$count` of the messages received in the window and in the
 * last week (`ConsistencyLevel: eventual`, one item asked for, only its id), and of the
 * calendar view over the window and the horizon the engine syncs. No message is read.
 */

const COUNT_HEADERS = { ConsistencyLevel: 'eventual', Prefer: 'IdType="ImmutableId"' };

function countUrl(path: string, params: Array<[string, string]>): string {
  return `${path}?${params.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&')}`;
}

export function countRequests(userId: string, window: { start: Date; end: Date; weekStart: Date; horizonEnd: Date }) {
  const user = `/users/${encodeURIComponent(userId)}`;
  const received = (from: Date) => `receivedDateTime gt ${from.toISOString()} and receivedDateTime le ${window.end.toISOString()}`;
  return [
    { id: 'messages', url: countUrl(`${user}/messages`, [['$count', 'true'], ['$top', '1'], ['$select', 'id'], ['$filter', received(window.start)]]) },
    { id: 'week', url: countUrl(`${user}/messages`, [['$count', 'true'], ['$top', '1'], ['$select', 'id'], ['$filter', received(window.weekStart)]]) },
    { id: 'events', url: countUrl(`${user}/calendarView`, [['startDateTime', window.start.toISOString()], ['endDateTime', window.horizonEnd.toISOString()], ['$count', 'true'], ['$top', '1'], ['$select', 'id']]) },
  ];
}

interface SubResponse {
  id: string;
  status: number;
  headers?: Record<string, string>;
  body?: { '@odata.count'?: number; error?: { code?: string; message?: string } };
}

export class CountFailed extends Error {
  constructor(
    readonly status: number,
    readonly code: string | undefined,
    message: string,
  ) {
    super(message);
  }
}

/** The mailbox's counts; throttled or failing sub-requests are retried after their Retry-After (or a backoff). */
export async function countMailbox(client: Client, userId: string, window: Parameters<typeof countRequests>[1], attempts = 5, baseDelayMs = 500): Promise<MailboxCounts> {
  const done = new Map<string, number>();
  const all = countRequests(userId, window);
  for (let attempt = 1; ; attempt++) {
    const pending = all.filter((r) => !done.has(r.id));
    let answer: { responses?: SubResponse[] };
    try {
      answer = (await client.api('/$batch').post({ requests: pending.map((r) => ({ id: r.id, method: 'GET', url: r.url, headers: COUNT_HEADERS })) })) as { responses?: SubResponse[] };
    } catch (e) {
      const kind = classifyGraphError(graphErrorFacts(e));
      if (attempt >= attempts || !['transient', 'throttled', 'unknown'].includes(kind)) throw e;
      await sleep(baseDelayMs * 2 ** attempt);
      continue;
    }
    let waitMs = 0;
    let failure: CountFailed | null = null;
    for (const r of answer.responses ?? []) {
      const count = r.body?.['@odata.count'];
      if (r.status >= 200 && r.status < 300 && typeof count === 'number') {
        done.set(r.id, count);
        continue;
      }
      failure = new CountFailed(r.status, r.body?.error?.code, `Counting ${r.id} failed with ${r.status}: ${r.body?.error?.message ?? 'no count in the answer'}`);
      if (![429, 500, 502, 503, 504].includes(r.status)) throw failure;
      const retryAfter = Number(Object.entries(r.headers ?? {}).find(([k]) => k.toLowerCase() === 'retry-after')?.[1]);
      waitMs = Math.max(waitMs, Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : baseDelayMs * 2 ** attempt);
    }
    if (done.size === all.length) return { messages: done.get('messages')!, weekMessages: done.get('week')!, events: done.get('events')! };
    if (attempt >= attempts) throw failure ?? new CountFailed(502, undefined, 'The $batch answer left count requests unanswered.');
    await sleep(waitMs);
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
