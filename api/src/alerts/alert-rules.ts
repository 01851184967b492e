import type { UiLocale } from '../../../common/i18n/ui-locale';
import { ALERT_WORDS, counted } from './alert-texts';

/**
 * Account alerts, pure (docs/admin-views.md, "Alerts"): which owned accounts changed between two
 * published runs, grouped into one notification per owner. Plain data in, plain data out; the
 * snapshots, the directory and Graph are the adapters' business.
 */

export const ALERT_LIMITS = {
  quietDays: { min: 7, max: 365, default: 60 },
  scoreDrop: { min: 1, max: 100, default: 15 },
} as const;

export interface AlertSettings {
  enabled: boolean;
  /** "Went quiet": no email and no meeting for at least this many days (the Year row's days since). */
  quietDays: number;
  /** "Score dropped": the Year score fell by at least this many points since the previous run. */
  scoreDrop: number;
  /** "Came back": a quiet account has an email or meeting again. */
  cameBack: boolean;
}

export const DEFAULT_ALERT_SETTINGS: AlertSettings = { enabled: false, quietDays: ALERT_LIMITS.quietDays.default, scoreDrop: ALERT_LIMITS.scoreDrop.default, cameBack: true };

/** What alerts need of an account's Year row in one published run. */
export interface YearFact {
  accountId: string;
  name: string;
  /** The owner column's value (an address), trimmed; null when the account has none. */
  owner: string | null;
  daysSinceLastEmail: number | null;
  daysSinceLastMeeting: number | null;
  score: number | null;
  /** The privacy threshold withheld the row's figures: nothing may be said about it. */
  withheld: boolean;
}

export type AlertKind = 'quiet' | 'dropped' | 'back';
/** The order kinds are told in a notification. */
export const ALERT_KINDS: readonly AlertKind[] = ['quiet', 'dropped', 'back'];

export interface AccountChange {
  accountId: string;
  name: string;
  owner: string;
  kind: AlertKind;
  /** For `dropped`: points lost (positive). */
  drop?: number;
}

/** The stale rule on a Year row: neither an email nor a meeting within `days` (never counts as long ago). */
export function isQuiet(row: Pick<YearFact, 'daysSinceLastEmail' | 'daysSinceLastMeeting'>, days: number): boolean {
  const long = (d: number | null) => d === null || d >= days;
  return long(row.daysSinceLastEmail) && long(row.daysSinceLastMeeting);
}

/**
 * Each owned account that changed between the previous and the new run, at most one change per
 * account: went quiet first (it explains a drop), then score dropped, then came back. An account
 * missing from either run, or withheld in either, is not compared.
 */
export function classifyChanges(previous: readonly YearFact[], next: readonly YearFact[], settings: AlertSettings): AccountChange[] {
  const before = new Map(previous.map((r) => [r.accountId, r]));
  const changes: AccountChange[] = [];
  for (const now of next) {
    const was = before.get(now.accountId);
    if (!now.owner || !was || now.withheld || was.withheld) continue;
    const base = { accountId: now.accountId, name: now.name, owner: now.owner };
    const quietNow = isQuiet(now, settings.quietDays);
    const quietBefore = isQuiet(was, settings.quietDays);
    if (quietNow && !quietBefore) changes.push({ ...base, kind: 'quiet' });
    else if (now.score !== null && was.score !== null && was.score - now.score >= settings.scoreDrop) changes.push({ ...base, kind: 'dropped', drop: was.score - now.score });
    else if (settings.cameBack && quietBefore && !quietNow) changes.push({ ...base, kind: 'back' });
  }
  return changes;
}

export interface OwnerAlert {
  owner: string;
  /** By kind in ALERT_KINDS order, then by name. */
  accounts: AccountChange[];
}

/** One alert per owner (owners compared without case), accounts ordered by kind then name. */
export function groupByOwner(changes: readonly AccountChange[]): OwnerAlert[] {
  const byOwner = new Map<string, AccountChange[]>();
  for (const c of changes) {
    const key = c.owner.toLowerCase();
    byOwner.set(key, [...(byOwner.get(key) ?? []), c]);
  }
  return [...byOwner.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([owner, accounts]) => ({
      owner,
      accounts: [...accounts].sort((a, b) => ALERT_KINDS.indexOf(a.kind) - ALERT_KINDS.indexOf(b.kind) || a.name.localeCompare(b.name) || a.accountId.localeCompare(b.accountId)),
    }));
}

const PREVIEW_MAX = 150;
const NAMES_SHOWN = 3;

/**
 * The notification's words, in the owner's language (alert-texts.ts). One kind: "3 of your
 * accounts went quiet: Zenith Chemicals, Acme, Borealis"; several: each kind counted ("2 of your
 * accounts went quiet, 1 came back: …"). At most three names, then "and N more"; Teams shows the
 * first 150 characters of the preview.
 */
export function alertText(alert: OwnerAlert, locale: UiLocale = 'en'): { summary: string; preview: string } {
  const words = ALERT_WORDS[locale];
  const counts = ALERT_KINDS.map((k) => [k, alert.accounts.filter((a) => a.kind === k).length] as const).filter(([, n]) => n > 0);
  const summary = counts.map(([k, n], i) => counted(locale, (i === 0 ? words.first : words.further)[k], n)).join(words.kindSeparator);
  const names = alert.accounts.slice(0, NAMES_SHOWN).map((a) => a.name);
  const more = alert.accounts.length - names.length;
  let preview = `${summary}${words.colon}${names.join(words.nameSeparator)}${more > 0 ? counted(locale, words.more, more) : ''}`;
  if (preview.length > PREVIEW_MAX) preview = `${preview.slice(0, PREVIEW_MAX - 1)}…`;
  return { summary, preview };
}
