import { describe, expect, it } from 'vitest';
import { ScratchList } from '../../../api/src/runs/domain/scratch-list';
import { withUnique } from '../../../api/src/runs/domain/engagement-buckets';

describe('ScratchList (a list reused item after item)', () => {
  it('when it is cleared and refilled with fewer items, then it reads only the new ones', () => {
    const list = new ScratchList<number>();
    for (const x of [1, 2, 3]) list.push(x);
    list.clear();
    list.push(9);
    expect(list.size).toBe(1);
    expect(list.includes(9)).toBe(true);
    expect(list.includes(2)).toBe(false);
    expect(list.copy()).toEqual([9]);
  });

  it('when its items are copied into an empty bucket list, then the copy is exact and later changes to the scratch leave it alone', () => {
    const list = new ScratchList<string>();
    list.push('a@x');
    list.push('b@x');
    const bucketList = withUnique<string>([], list.items, list.size);
    list.clear().push('c@x');
    expect(bucketList).toEqual(['a@x', 'b@x']);
    expect(withUnique(bucketList, list.items, list.size)).toEqual(['a@x', 'b@x', 'c@x']);
    expect(withUnique(bucketList, ['a@x'])).toEqual(['a@x', 'b@x', 'c@x']);
  });
});
