import assert from 'node:assert/strict';
import { test } from 'node:test';
import Table from 'cli-table3';
import { drawTable, ONE_TABLE_ROWS, PART_ROWS } from '../../src/output/long-table.js';
import { fitWidths } from '../../src/output/table.js';

// A long table is drawn in parts (cli-table3 is quadratic in rows); the text must be what one table draws.
const STYLE = { head: [], border: [], compact: true };
const oneTable = (head: string[], rows: string[][], colWidths?: number[]): string => {
  const t = new Table({ head, style: STYLE, ...(colWidths ? { colWidths } : {}) });
  t.push(...rows);
  return t.toString();
};

const cells = ['/a', '', 'x'.repeat(40), '節点/データ', 'emoji 🚀 node', 'two\nlines', '  lead', '12345'];
const rows = (n: number): string[][] =>
  Array.from({ length: n }, (_, i) => [`/wide/w${i}`, cells[i % cells.length]!, cells[(i * 7) % cells.length]!]);

test('a table longer than one part draws as one cli-table3 table would', () => {
  const head = ['path', 'value', 'other'];
  for (const n of [ONE_TABLE_ROWS + 1, ONE_TABLE_ROWS + PART_ROWS + 37]) {
    const r = rows(n);
    assert.equal(drawTable(Table, head, r, undefined), oneTable(head, r), `${n} rows`);
    // The widest cell far from the first part still sets its column's width.
    const wide = [...r, ['/last', 'y'.repeat(70), '']];
    assert.equal(drawTable(Table, head, wide, undefined), oneTable(head, wide), `${n} rows and a wide last row`);
  }
});

test('fixed column widths (a narrow terminal) are kept across the parts', () => {
  const head = ['path', 'value', 'other'];
  const r = rows(ONE_TABLE_ROWS + 1);
  assert.equal(drawTable(Table, head, r, [20, 12, 9]), oneTable(head, r, [20, 12, 9]));
});

test('column widths of 300,000 rows (Math.max over them all threw RangeError)', () => {
  const many = Array.from({ length: 300_000 }, (_, i) => [`/n${i}`]);
  assert.deepEqual(fitWidths({ head: ['path'], rows: many }, 10), [8]);
  assert.equal(fitWidths({ head: ['path'], rows: many }, undefined), undefined);
});
