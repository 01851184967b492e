/**
 * Strings named by their index in one table, each string once: how packed columns refer to the
 * addresses on buckets and the people on domain slots, instead of spelling a string out in
 * every row that names it.
 */
export class StringTable {
  /** The table: a string's index is its position here. */
  readonly strings: string[] = [];
  private readonly index = new Map<string, number>();

  /** The indexes of `names`, adding to the table those it does not hold yet. */
  indexesOf(names: readonly string[]): number[] {
    const out = new Array<number>(names.length);
    for (let i = 0; i < names.length; i++) {
      let at = this.index.get(names[i]!);
      if (at === undefined) this.index.set(names[i]!, (at = this.strings.push(names[i]!) - 1));
      out[i] = at;
    }
    return out;
  }
}
