import { describe, expect, it } from 'vitest';
import { isNonPublicAddress, pinWebhookTarget, UnsafeWebhookUrl, type Resolver } from '../../api/src/webhooks/address-guard';

/** The SSRF guard of webhook URLs: which addresses are refused, and that the address connected to is the one checked. */
const production = { allowedPrivateHosts: [] };
const resolving = (answers: Record<string, string[]>): Resolver => async (host) => {
  const list = answers[host];
  if (!list) throw new Error('ENOTFOUND');
  return list.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
};

describe('isNonPublicAddress', () => {
  it.each([
    '127.0.0.1', '127.8.9.10', '10.0.0.1', '172.16.0.1', '172.31.255.255', '192.168.0.1', '169.254.169.254', '169.254.1.1', '100.64.0.1', '100.127.255.255',
    '0.0.0.0', '224.0.0.1', '255.255.255.255', '192.0.2.1', '198.18.0.1',
    '::1', '::', 'fc00::1', 'fd12:3456::1', 'fe80::1', 'ff02::1', 'fd00:ec2::254', '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:10.0.0.1', '64:ff9b::a9fe:a9fe', '2002:7f00:1::1',
    'not-an-address',
  ])('when the address is %s, then it is refused', (address) => {
    expect(isNonPublicAddress(address)).toBe(true);
  });

  it.each(['93.184.216.34', '20.190.160.1', '172.32.0.1', '100.128.0.1', '2606:4700:4700::1111', '::ffff:93.184.216.34'])('when the address is the public %s, then it is allowed', (address) => {
    expect(isNonPublicAddress(address)).toBe(false);
  });
});

describe('pinWebhookTarget', () => {
  it('when a name resolves to public addresses only, then the IPv4 one is pinned and the URL kept', async () => {
    const t = await pinWebhookTarget('https://hooks.example.com/in?key=1', production, resolving({ 'hooks.example.com': ['2606:4700::1', '93.184.216.34'] }));
    expect(t).toMatchObject({ address: '93.184.216.34', family: 4 });
    expect(t.url.toString()).toBe('https://hooks.example.com/in?key=1');
  });

  it('when any one of the addresses a name resolves to is private, then it is refused (a rebinding name cannot slip one in)', async () => {
    await expect(pinWebhookTarget('https://rebind.example.com/', production, resolving({ 'rebind.example.com': ['93.184.216.34', '10.0.0.5'] }))).rejects.toThrow(/resolves to 10\.0\.0\.5/);
    await expect(pinWebhookTarget('https://meta.example.com/', production, resolving({ 'meta.example.com': ['169.254.169.254'] }))).rejects.toBeInstanceOf(UnsafeWebhookUrl);
  });

  it('when the URL is http, carries credentials or a fragment, or the name does not resolve, then the reason is given', async () => {
    const r = resolving({ 'hooks.example.com': ['93.184.216.34'] });
    await expect(pinWebhookTarget('http://hooks.example.com/', production, r)).rejects.toThrow(/https:\/\//);
    await expect(pinWebhookTarget('https://u:p@hooks.example.com/', production, r)).rejects.toThrow(/user name or password/);
    await expect(pinWebhookTarget('https://hooks.example.com/#x', production, r)).rejects.toThrow(/fragment/);
    await expect(pinWebhookTarget('https://nowhere.example.com/', production, r)).rejects.toThrow(/does not resolve/);
    await expect(pinWebhookTarget('hooks', production, r)).rejects.toThrow(/not a URL/);
  });

  it('when a host name is allowed outside production, then it may resolve to loopback; an address literal is still refused', async () => {
    const dev = { allowedPrivateHosts: ['localhost'] };
    expect((await pinWebhookTarget('https://localhost:8443/hook', dev, resolving({ localhost: ['127.0.0.1'] }))).address).toBe('127.0.0.1');
    await expect(pinWebhookTarget('https://127.0.0.1:8443/hook', dev, resolving({}))).rejects.toBeInstanceOf(UnsafeWebhookUrl);
    await expect(pinWebhookTarget('https://localhost:8443/hook', production, resolving({ localhost: ['127.0.0.1'] }))).rejects.toThrow(/loopback/);
  });
});
