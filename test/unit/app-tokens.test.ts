import { afterEach, describe, expect, it, vi } from 'vitest';
import { AppTokens } from '../../api/src/platform/graph/graph-client.factory';

const HOUR = 3_600_000;
/** A token source that answers token-1, token-2, … each valid for an hour from the (fake) clock. */
const tokenSource = () => {
  let issued = 0;
  const get = vi.fn(async (tenantId: string) => ({ accessToken: `${tenantId}:token-${++issued}`, expiresOn: new Date(Date.now() + HOUR) }));
  return { get };
};

afterEach(() => {
  vi.useRealTimers();
});

describe('the app-only token kept per tenant', () => {
  it('when requests ask for a tenant\'s token at once and later, then one token serves them until shortly before it expires', async () => {
    vi.useFakeTimers({ now: Date.UTC(2026, 11, 3, 9) });
    const { get } = tokenSource();
    const tokens = new AppTokens(get);
    const first = await Promise.all([tokens.tokenFor('t1'), tokens.tokenFor('t1'), tokens.tokenFor('t1')]);
    expect(first).toEqual(['t1:token-1', 't1:token-1', 't1:token-1']);
    vi.setSystemTime(Date.now() + 50 * 60_000);
    expect(await tokens.tokenFor('t1')).toBe('t1:token-1');
    // Within five minutes of its expiry it is renewed.
    vi.setSystemTime(Date.now() + 6 * 60_000);
    expect(await tokens.tokenFor('t1')).toBe('t1:token-2');
    expect(get).toHaveBeenCalledTimes(2);
  });

  it('when two tenants ask, then each gets its own token', async () => {
    const { get } = tokenSource();
    const tokens = new AppTokens(get);
    expect(await tokens.tokenFor('t1')).toBe('t1:token-1');
    expect(await tokens.tokenFor('t2')).toBe('t2:token-2');
    expect(await tokens.tokenFor('t1')).toBe('t1:token-1');
  });

  it('when getting a token fails, then the callers get the error and the next call asks again', async () => {
    const get = vi.fn().mockRejectedValueOnce(new Error('AADSTS65001: consent required')).mockResolvedValueOnce({ accessToken: 'fresh', expiresOn: new Date(Date.now() + HOUR) });
    const tokens = new AppTokens(get);
    await expect(tokens.tokenFor('t1')).rejects.toThrow('AADSTS65001');
    expect(await tokens.tokenFor('t1')).toBe('fresh');
  });

  it('when the identity provider gives no token or no expiry, then it is an error or not kept', async () => {
    const empty = new AppTokens(async () => null);
    await expect(empty.tokenFor('t1')).rejects.toThrow('no access token');
    const get = vi.fn(async () => ({ accessToken: 'no-expiry', expiresOn: null }));
    const tokens = new AppTokens(get);
    await tokens.tokenFor('t1');
    await tokens.tokenFor('t1');
    expect(get).toHaveBeenCalledTimes(2);
  });
});
