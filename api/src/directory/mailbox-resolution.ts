/** Pure rules for the resolved mailbox list: de-duplication and the 2..2,500 range. */

export const MIN_MAILBOXES = 2;
export const MAX_MAILBOXES = 2500;

export interface ResolvedMailbox {
  userId: string;
  mail: string;
}

export type UnresolvedReason = 'not-found' | 'no-mailbox' | 'disabled' | 'empty-group';

export interface UnresolvedEntry {
  kind: 'user' | 'group';
  id: string;
  displayName: string | null;
  reason: UnresolvedReason;
}

export interface DirectoryUser {
  id: string;
  displayName?: string | null;
  mail?: string | null;
  accountEnabled?: boolean | null;
}

/** Collects users from any number of sources, unique by normalised address (first wins). */
export class MailboxCollector {
  private readonly byAddress = new Map<string, ResolvedMailbox>();
  private readonly unresolved = new Map<string, UnresolvedEntry>();

  /** `direct` = picked by name (its problems are listed as such); else reached via a group. */
  add(u: DirectoryUser): void {
    const mail = (u.mail ?? '').trim().toLowerCase();
    if (u.accountEnabled === false) {
      this.flag({ kind: 'user', id: u.id, displayName: u.displayName ?? null, reason: 'disabled' });
      return;
    }
    if (!mail) {
      this.flag({ kind: 'user', id: u.id, displayName: u.displayName ?? null, reason: 'no-mailbox' });
      return;
    }
    if (!this.byAddress.has(mail)) this.byAddress.set(mail, { userId: u.id, mail });
  }

  flag(entry: UnresolvedEntry): void {
    const key = `${entry.kind}:${entry.id}`;
    if (!this.unresolved.has(key)) this.unresolved.set(key, entry);
  }

  get count(): number {
    return this.byAddress.size;
  }

  result(): { mailboxes: ResolvedMailbox[]; unresolved: UnresolvedEntry[] } {
    // A user flagged through one group but resolved through another is not unresolved.
    const resolvedIds = new Set([...this.byAddress.values()].map((m) => m.userId));
    return {
      mailboxes: [...this.byAddress.values()].sort((a, b) => a.mail.localeCompare(b.mail)),
      unresolved: [...this.unresolved.values()].filter((u) => !(u.kind === 'user' && resolvedIds.has(u.id))),
    };
  }
}

const fmt = (n: number) => n.toLocaleString('en-US');

/** The message for a count outside the range, or null when within it. */
export function mailboxCountProblem(count: number, atLeast = false): string | null {
  if (count < MIN_MAILBOXES) {
    return `Select at least ${MIN_MAILBOXES} mailboxes; the selection resolves to ${fmt(count)} unique address${count === 1 ? '' : 'es'}.`;
  }
  if (count > MAX_MAILBOXES) {
    return `Select at most ${fmt(MAX_MAILBOXES)} mailboxes; the selection resolves to ${atLeast ? 'more than ' : ''}${fmt(count)} unique addresses. Remove a group or pick smaller ones.`;
  }
  return null;
}
