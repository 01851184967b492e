import { describe, expect, it } from 'vitest';
import { ReceivedResponse } from '../../api/src/platform/graph/https-message-handler';

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
