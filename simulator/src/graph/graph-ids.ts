import type { MailFolderName } from '../tenant/tenant.types';

/**
 * Exchange hands out two id forms: the default ("regular") id changes when an item moves,
 * the immutable one does not. The generator's ids are the immutable ones; the regular form
 * is a deterministic, reversible transform so tests can tell which one they got.
 */
const REGULAR_PREFIX = 'AAMkAGR';

export function regularId(immutableId: string): string {
  return REGULAR_PREFIX + Buffer.from(immutableId, 'utf8').toString('base64url');
}

export function outwardId(immutableId: string, immutable: boolean): string {
  return immutable ? immutableId : regularId(immutableId);
}

/** Either form back to the immutable id. */
export function toImmutableId(id: string): string {
  if (!id.startsWith(REGULAR_PREFIX)) return id;
  return Buffer.from(id.slice(REGULAR_PREFIX.length), 'base64url').toString('utf8');
}

export const WELL_KNOWN_FOLDERS: Record<MailFolderName, string> = {
  inbox: 'Inbox',
  sentitems: 'Sent Items',
  drafts: 'Drafts',
  deleteditems: 'Deleted Items',
  archive: 'Archive',
};

const FOLDER_PREFIX = 'AAMkAFLD';

export function folderId(userId: string, folder: MailFolderName): string {
  return FOLDER_PREFIX + Buffer.from(`${userId}/${folder}`, 'utf8').toString('base64url');
}

/** A `mailFolders/{segment}`: a well-known name (any case) or one of our folder ids. */
export function resolveFolder(userId: string, segment: string): MailFolderName | undefined {
  const lower = segment.toLowerCase();
  if (lower in WELL_KNOWN_FOLDERS) return lower as MailFolderName;
  if (!segment.startsWith(FOLDER_PREFIX)) return undefined;
  const decoded = Buffer.from(segment.slice(FOLDER_PREFIX.length), 'base64url').toString('utf8');
  const [owner, folder] = decoded.split('/');
  if (owner !== userId || !folder || !(folder in WELL_KNOWN_FOLDERS)) return undefined;
  return folder as MailFolderName;
}
