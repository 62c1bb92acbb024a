import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cloneJson } from '../../src/kernel/json-clone.util';
import { addRow, emptyTable, RecordTable, rowOf } from '../../src/kernel/record-table.util';

interface Item {
  at: number;
  note: string | null;
}

function tableOf(ids: string[], seed?: number): RecordTable<Item> {
  const table = emptyTable<Item>({ at: [], note: [] }, seed);
  ids.forEach((id, index) => assert.equal(addRow(table, id, { at: index * 1.5, note: index % 2 ? null : id }), index));
  return table;
}

describe('record table', () => {
  // Many rows: the slots are regrouped several times, and ids that differ in one character share long prefixes.
  const ids = [...Array.from({ length: 5_000 }, (_, index) => `d-${index}`), '__proto__', 'constructor', 'hasOwnProperty', ''];

  it('finds every row by its id, and no row for an unknown id', () => {
    const table = tableOf(ids);
    ids.forEach((id, row) => assert.equal(rowOf(table, id), row, id));
    for (const id of ['d-5000', 'd-', 'D-1', 'toString']) assert.equal(rowOf(table, id), -1, id);
    assert.equal(table.columns.at[4_001], 4_001 * 1.5);
    assert.equal(table.columns.note[4_001], null);
  });

  it('still finds them as JSON read back and as a copy', () => {
    const table = tableOf(ids);
    for (const copy of [JSON.parse(JSON.stringify(table)) as RecordTable<Item>, cloneJson(table)]) {
      assert.deepEqual(copy, table);
      ids.forEach((id, row) => assert.equal(rowOf(copy, id), row, id));
    }
  });

  it("keeps its seed: a table made with another process's seed still finds its ids, placed elsewhere", () => {
    const [ours, theirs] = [tableOf(ids), tableOf(ids, (tableOf([]).seed + 1) >>> 0)];
    assert.notDeepEqual(theirs.slots, ours.slots);
    const copy = JSON.parse(JSON.stringify(theirs)) as RecordTable<Item>;
    ids.forEach((id, row) => assert.equal(rowOf(copy, id), row, id));
  });

  it('refuses an id it holds', () => {
    const table = tableOf(['a', 'b']);
    assert.throws(() => addRow(table, 'b', { at: 0, note: null }), /id b is already taken/);
    assert.equal(table.ids.length, 2);
  });
});
