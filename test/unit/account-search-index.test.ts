import { describe, expect, it } from 'vitest';
import { AccountSearchIndex, type SearchAccount } from '../../api/src/results/account-search-index';
import { searchKeyOf, searchNormalise, SEARCH_SEPARATOR } from '../../api/src/snapshots/snapshot-schema';

/**
 * The customer search index must answer exactly what a scan of every account's search key
 * answers (the SQL it replaces): every account whose key contains the term, name prefixes
 * first, then id or domain prefixes, then the rest, each by name then AccountId; the count
 * capped. The expectation below is that scan, written plainly.
 */

const words = ['Contoso', 'Fabrikam', 'Tailspin', 'Northwind', 'Wood-grove', 'Alpine', 'Café', 'Ærø', 'Zürich', 'Ba', 'ab'];

function accountsOf(n: number): Array<SearchAccount & { domains: string[] }> {
  let seed = 7;
  const rnd = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
  const pick = () => words[Math.floor(rnd() * words.length)]!;
  return Array.from({ length: n }, (_, i) => ({
    id: `acc-${String(i).padStart(5, '0')}`,
    name: `${pick()} ${pick()} ${Math.floor(rnd() * 300)}`,
    score: Math.floor(rnd() * 100),
    acc: i,
    domains: rnd() < 0.7 ? [`${pick().toLowerCase()}${i % 50}.example`] : [],
  }));
}

function scan(accounts: Array<SearchAccount & { domains: string[] }>, term: string, limit: number, cap: number) {
  const t = searchNormalise(term);
  const byName = (a: SearchAccount, b: SearchAccount) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  const rank = (key: string) => (key.startsWith(t) ? 0 : key.includes(SEARCH_SEPARATOR + t) ? 1 : 2);
  const hits = accounts.map((a) => ({ a, key: searchKeyOf(a) })).filter((x) => x.key.includes(t));
  hits.sort((x, y) => rank(x.key) - rank(y.key) || byName(x.a, y.a));
  return { items: hits.slice(0, limit).map(({ a }) => ({ id: a.id, name: a.name, score: a.score, acc: a.acc })), total: Math.min(cap, hits.length) };
}

async function indexOf(accounts: Array<SearchAccount & { domains: string[] }>) {
  const positions = accounts.map((_, i) => i).sort((i, j) => (accounts[i]!.name < accounts[j]!.name ? -1 : accounts[i]!.name > accounts[j]!.name ? 1 : i - j));
  return AccountSearchIndex.build(
    accounts.map(searchKeyOf),
    accounts.map(({ id, name, score, acc }) => ({ id, name, score, acc })),
    Int32Array.from(positions),
  );
}

describe('account search index', () => {
  it('when a term is searched, then the answer equals a scan of every key (matches, ranking, order and capped count)', async () => {
    const accounts = accountsOf(5000);
    const index = await indexOf(accounts);
    for (const term of ['', 'a', 'zu', 'CAFE', 'café 1', 'north', 'wood-grove alp', 'acc-0012', 'alpine5', '.example', 'aero', 'aer', 'no such thing', ' ba ', 'ab ab']) {
      for (const limit of [1, 10, 50]) expect(index.search(searchNormalise(term), limit, 1000), `${term} / ${limit}`).toEqual(scan(accounts, term, limit, 1000));
    }
  });

  it('when more accounts match than the cap, then the count stops at the cap and the first ones are still the best ranked', async () => {
    const accounts = accountsOf(3000);
    const index = await indexOf(accounts);
    expect(index.search('a', 5, 100)).toEqual(scan(accounts, 'a', 5, 100));
    expect(index.search('a', 5, 100).total).toBe(100);
  });

  it('when the inputs disagree in length, then building refuses', async () => {
    await expect(AccountSearchIndex.build(['x'], [], new Int32Array(1))).rejects.toThrow(/differ in length/);
  });
});
