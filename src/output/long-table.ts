// cli-table3 lays a table out in time quadratic in its rows (each cell is checked against every cell above it
// for row spans): 5,000 rows take ~0.6 s, 20,000 ~8 s, and `du --format table` of a 60,000-child node ~90 s.
// We never span rows, so a long table is drawn in parts with the same column widths and joined where the
// bottom border of one part meets the top border of the next: the same text, in linear time.
import type CliTable3 from 'cli-table3';

/** Rows drawn per cli-table3 table. */
export const PART_ROWS = 200;
/**
 * Up to this many rows one table is drawn: the parts cost two passes (cli-table3 measures the widths, then draws;
 * ~45 µs a row each), which one table's quadratic layout outgrows only from about 3,000 rows.
 */
export const ONE_TABLE_ROWS = 3000;

const STYLE = { head: [], border: [], compact: true };

/** The table's text (no trailing newline), as one cli-table3 table of `head` and `rows` would draw it. */
export function drawTable(
  Table: typeof CliTable3,
  head: string[],
  rows: string[][],
  colWidths: number[] | undefined,
): string {
  const draw = (h: string[], part: string[][], widths: number[] | undefined): CliTable3.Table => {
    const t = new Table({ head: h, style: STYLE, ...(widths ? { colWidths: [...widths] } : {}) });
    for (const r of part) t.push(r);
    return t;
  };
  if (rows.length <= ONE_TABLE_ROWS) return draw(head, rows, colWidths).toString();
  const parts: string[][][] = [];
  for (let i = 0; i < rows.length; i += PART_ROWS) parts.push(rows.slice(i, i + PART_ROWS));
  // Natural widths are the widest each part asks for (cli-table3 measures them; its measure counts wide characters).
  let widths = colWidths;
  if (!widths) {
    const w = head.map(() => 0);
    for (const part of parts) {
      const t = draw(head, part, undefined);
      t.toString();
      (t.options.colWidths as number[]).forEach((c, i) => (w[i] = Math.max(w[i] ?? 0, c)));
    }
    widths = w;
  }
  const out: string[] = [];
  parts.forEach((part, i) => {
    const lines = draw(i === 0 ? head : [], part, widths)
      .toString()
      .split('\n');
    // The first part keeps its top border and head, the last its bottom border; joins drop both.
    out.push(...lines.slice(i === 0 ? 0 : 1, i === parts.length - 1 ? lines.length : -1));
  });
  return out.join('\n');
}
