import type { MailFolderName, SimEvent, SimMessage } from '../tenant/tenant.types';
import type { SimTenantHandle } from '../state/sim-tenant-handle';

/**
 * A small LRU in front of the generator: paging through a mailbox re-reads the same
 * snapshot many times, and generating it each time would dominate a load test.
 */
class Lru<V> {
  private readonly map = new Map<string, V>();
  constructor(private readonly capacity: number) {}
  get(key: string, make: () => V): V {
    const hit = this.map.get(key);
    if (hit !== undefined) {
      this.map.delete(key);
      this.map.set(key, hit);
      return hit;
    }
    const value = make();
    this.map.set(key, value);
    if (this.map.size > this.capacity) this.map.delete(this.map.keys().next().value!);
    return value;
  }
}

// Per tenant handle, so two simulators in one process never share entries.
const messageCaches = new WeakMap<SimTenantHandle, Lru<SimMessage[]>>();
const eventCaches = new WeakMap<SimTenantHandle, Lru<SimEvent[]>>();

function cacheOf<V>(map: WeakMap<SimTenantHandle, Lru<V>>, handle: SimTenantHandle): Lru<V> {
  let c = map.get(handle);
  if (!c) {
    c = new Lru<V>(64);
    map.set(handle, c);
  }
  return c;
}

export function mailboxMessagesAt(handle: SimTenantHandle, userId: string, visibleAt: number, folder?: MailFolderName): SimMessage[] {
  return cacheOf(messageCaches, handle).get(`${userId}|${folder ?? '*'}|${visibleAt}`, () =>
    handle.tenant.mailboxMessages(userId, { visibleAt: new Date(visibleAt), ...(folder ? { folder } : {}) }),
  );
}

export function mailboxEventsAt(handle: SimTenantHandle, userId: string, start: number, end: number, visibleAt: number): SimEvent[] {
  // Calendar edits change what a view holds at the same instant: the edit count is part of the key.
  return cacheOf(eventCaches, handle).get(`${userId}|${start}|${end}|${visibleAt}|${handle.tenant.calendarEdits?.seq ?? 0}`, () =>
    handle.tenant.mailboxEvents(userId, { start: new Date(start), end: new Date(end), visibleAt: new Date(visibleAt) }),
  );
}

/** Drops a tenant's cached mailbox contents (after its pages were rendered into the page store). */
export function forgetActivity(handle: SimTenantHandle): void {
  messageCaches.delete(handle);
  eventCaches.delete(handle);
}

/** When a message became visible in its mailbox (drafts have no receipt). */
export function visibleSince(m: SimMessage): number {
  return Date.parse(m.isDraft ? m.createdDateTime : m.receivedDateTime);
}
