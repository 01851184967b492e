/**
 * A list reused item after item (a message's selected people, its accounts), that keeps its
 * room. Emptying an array by setting its length to 0 hands its room back to the heap (V8 trims
 * it), so the next push allocated room for 16 again: at 250 mailboxes the "scratch" arrays of
 * the read path allocated 290 MB that way (issue 13, sampled heap profile). Read it as
 * `items[0 .. size)`; what lies beyond `size` is stale.
 */
export class ScratchList<T> {
  readonly items: T[] = [];
  size = 0;

  clear(): this {
    this.size = 0;
    return this;
  }

  push(x: T): void {
    this.items[this.size++] = x;
  }

  includes(x: T): boolean {
    const items = this.items;
    for (let i = 0; i < this.size; i++) if (items[i] === x) return true;
    return false;
  }

  /** The items, in an array of their exact size. */
  copy(): T[] {
    return this.items.slice(0, this.size);
  }
}
