/**
 * Whether a write failed on a unique index. MongoDB says so with code 11000 (11001 on old
 * servers); FerretDB (SQLite backend) does too for inserts, but an update that would break a
 * unique index fails with InternalError (code 1) quoting SQLite's "UNIQUE constraint failed".
 */
export function isDuplicateKeyError(e: unknown): boolean {
  if (typeof e !== 'object' || e === null) return false;
  const { code, message } = e as { code?: unknown; message?: unknown };
  if (code === 11000 || code === 11001) return true;
  return code === 1 && typeof message === 'string' && message.includes('UNIQUE constraint failed');
}
