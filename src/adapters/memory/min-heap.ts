/**
 * A binary min-heap of string keys. Used with lazy deletion: an entry whose record has since
 * changed is dropped when it surfaces, so updates cost one push instead of a search.
 */
export class MinHeap {
  private readonly items: string[] = [];

  get size(): number {
    return this.items.length;
  }

  peek(): string | undefined {
    return this.items[0];
  }

  push(key: string): void {
    const a = this.items;
    a.push(key);
    let i = a.length - 1;
    while (i > 0) {
      const parent = (i - 1) >>> 1;
      if (a[parent]! <= key) break;
      a[i] = a[parent]!;
      i = parent;
    }
    a[i] = key;
  }

  pop(): string | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length === 0 || last === undefined) return top;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= a.length) break;
      const r = l + 1;
      const c = r < a.length && a[r]! < a[l]! ? r : l;
      if (a[c]! >= last) break;
      a[i] = a[c]!;
      i = c;
    }
    a[i] = last;
    return top;
  }
}
