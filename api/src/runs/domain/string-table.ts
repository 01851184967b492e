/**
 * Strings named by their index in one table, each string once: how packed columns refer to the
 * addresses on buckets and the people on domain slots, instead of spelling a string out in
 * every row that names it.
 */
export class StringTable {
  /** The table: a string's index is its position here. */
  readonly strings: string[] = [];
  private readonly index = new Map<string, number>();

  /** The index of `name`, added to the table when it does not hold it yet. */
  indexOf(name: string): number {
    let at = this.index.get(name);
    if (at === undefined) this.index.set(name, (at = this.strings.push(name) - 1));
    return at;
  }

  /** The indexes of `names`, adding to the table those it does not hold yet. */
  indexesOf(names: readonly string[]): number[] {
    const out = new Array<number>(names.length);
    for (let i = 0; i < names.length; i++) out[i] = this.indexOf(names[i]!);
    return out;
  }
}
