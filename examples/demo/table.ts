/**
 * A tiny aligned-table printer for terminal output (the demo and the benchmarks).
 * console.table would do, but it adds an index column and quotes every string.
 */

/** One column: its header, how to align it, and the widest a cell may get before it is cut. */
export interface Column {
  header: string;
  align?: 'left' | 'right';
  max?: number;
}

const cut = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/**
 * Formats `rows` (arrays of cells, one per column) as an aligned table with a header rule.
 *
 * @example
 * ```ts
 * console.log(formatTable([{ header: 'view' }, { header: 'count', align: 'right' }], [['active', 1]]));
 * ```
 */
export function formatTable(columns: Column[], rows: ReadonlyArray<ReadonlyArray<unknown>>, indent = '  '): string {
  const cells = rows.map((row) => columns.map((c, i) => cut(String(row[i] ?? ''), c.max ?? 60)));
  const widths = columns.map((c, i) => Math.max(c.header.length, ...cells.map((r) => r[i]!.length)));
  const line = (values: string[]) =>
    indent +
    values
      .map((v, i) => (columns[i]!.align === 'right' ? v.padStart(widths[i]!) : v.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(columns.map((c) => c.header)), line(widths.map((w) => '─'.repeat(w))), ...cells.map(line)].join('\n');
}
