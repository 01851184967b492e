import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { Binary } from 'mongodb';

/**
 * Partials (mailbox states, contributions) travel to MongoDB as one compressed binary field.
 * They are never queried by field, only written and read back whole by key, so there is nothing
 * to lose by making them opaque, and a lot to win: a mailbox state is hundreds of kilobytes of
 * small nested objects, which a document database must parse field by field on every scan
 * (FerretDB decodes every document of a collection for most queries), while a compressed blob
 * is one value and a fifth of the size. Compression runs on libuv's thread pool, off the event
 * loop that reads Graph pages.
 */

const deflate = promisify(zlib.deflateRaw);
const inflate = promisify(zlib.inflateRaw);

/** Level 3: most of the size gain of the default level for a fraction of its CPU. */
const LEVEL = 3;

export async function encodePartial(value: unknown): Promise<Binary> {
  return new Binary(await deflate(Buffer.from(JSON.stringify(value)), { level: LEVEL }));
}

export async function decodePartial<T>(data: Binary | Uint8Array): Promise<T> {
  const bytes = data instanceof Binary ? data.value() : data;
  return JSON.parse((await inflate(bytes)).toString('utf8')) as T;
}

/** Plain buffers for what finalize keeps in memory between its two passes. */
export async function packInMemory(value: unknown): Promise<Buffer> {
  return deflate(Buffer.from(JSON.stringify(value)), { level: 1 });
}

export async function unpackInMemory<T>(data: Buffer): Promise<T> {
  return JSON.parse((await inflate(data)).toString('utf8')) as T;
}
