import { describe, expect, it } from 'vitest';
import zlib from 'node:zlib';
import { decodeBody, gzipInflateChunk, ReceivedResponse } from '../../api/src/platform/graph/https-message-handler';

const page = (value: unknown) => Buffer.from(JSON.stringify({ value, '@odata.nextLink': 'https://graph.example/next' }));
const init = { status: 200, headers: { 'content-type': 'application/json' } };

describe('ReceivedResponse (a received Graph page handed to the client chain)', () => {
  it('when read as JSON or text, then it answers what a standard Response over the same bytes answers', async () => {
    const bytes = page([{ id: 'a', subject: 'Überweisung — 東京', from: { emailAddress: { address: 'jo@contoso.com' } } }]);
    expect(await new ReceivedResponse(bytes, init).json()).toEqual(await new Response(new Uint8Array(bytes), init).json());
    expect(await new ReceivedResponse(bytes, init).text()).toBe(await new Response(new Uint8Array(bytes), init).text());
  });

  it('when the body starts with a byte order mark, then it is dropped as the Fetch standard drops it', async () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), page([])]);
    expect(await new ReceivedResponse(bytes, init).json()).toEqual({ value: [], '@odata.nextLink': 'https://graph.example/next' });
  });

  it('when the body is not JSON, then json() rejects with a SyntaxError', async () => {
    await expect(new ReceivedResponse(Buffer.from('<html>gateway</html>'), init).json()).rejects.toBeInstanceOf(SyntaxError);
  });

  it('when the body stream was read, then a later json() is refused as a standard Response refuses it', async () => {
    const r = new ReceivedResponse(page([1, 2]), init);
    expect(new Uint8Array(await r.arrayBuffer()).length).toBeGreaterThan(0);
    expect(r.bodyUsed).toBe(true);
    await expect(r.json()).rejects.toBeInstanceOf(TypeError);
  });

  it('when there is no body (204), then text() is empty and the body is null', async () => {
    const r = new ReceivedResponse(null, { status: 204 });
    expect(r.body).toBeNull();
    expect(await r.text()).toBe('');
  });
});

describe('decoding a received gzip body', () => {
  const json = page(Array.from({ length: 2_000 }, (_, i) => ({ id: `m${i}`, from: { emailAddress: { address: `p${i % 37}@contoso.com` } } })));

  it('when the gzip trailer states the size, then the page is inflated whole into a buffer of its own size, not a mebibyte', () => {
    const body = zlib.gzipSync(json);
    expect(gzipInflateChunk(body)).toBe(json.length + 1);
    const out = decodeBody(body, 'gzip');
    expect(out.equals(json)).toBe(true);
    expect(out.buffer.byteLength).toBe(json.length + 1);
  });

  it('when the trailer understates the size (a body of two gzip members), then the whole body is still inflated', () => {
    const half = Math.floor(json.length / 2);
    const body = Buffer.concat([zlib.gzipSync(json.subarray(0, half)), zlib.gzipSync(json.subarray(half))]);
    expect(gzipInflateChunk(body)).toBe(json.length - half + 1);
    expect(decodeBody(body, 'gzip').equals(json)).toBe(true);
  });

  it('when the body is too short to carry a trailer or states an implausible size, then the standard output buffer is used', () => {
    expect(gzipInflateChunk(Buffer.from('abc'))).toBe(1024 * 1024);
    const lying = Buffer.from(zlib.gzipSync(json));
    lying.writeUInt32LE(0xffffffff, lying.length - 4);
    expect(gzipInflateChunk(lying)).toBe(1024 * 1024);
  });
});
