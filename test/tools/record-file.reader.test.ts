import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseImportArgs, UsageError } from '../../src/tools/cli/import-args.util';
import { csvRecords, jsonRecords, readRecordFile } from '../../src/tools/cli/record-file.reader';

const usage = (message: string) => (error: unknown) => error instanceof UsageError && error.message === message;

describe('csvRecords', () => {
  it('nests money columns, converts the numeric fields of the row kind, drops empty cells and # comments', () => {
    const csv = [
      '# exported 2026-01-31',
      'externalId,kind,occurredAt,popId,deviceId,rackId,name,role,positionU,heightU,powerDrawWatts,purchaseCost.amount,purchaseCost.currency',
      'PO-1,DEVICE_DELIVERED,2026-01-22T14:00:00Z,fra1,D1,R1,"router, edge #1",ROUTER,40,2,650.5,38000.00,EUR',
      'PO-2,DEVICE_DELIVERED,2026-01-22T14:00:00Z,fra1,D2,R1,,ROUTER,forty,2,,,',
      'PO-3,CIRCUIT_CEASED,2026-01-22T14:00:00Z,fra1,,,0042,,,,,,',
    ].join('\n');
    assert.deepEqual(csvRecords(csv), [
      {
        externalId: 'PO-1', kind: 'DEVICE_DELIVERED', occurredAt: '2026-01-22T14:00:00Z', popId: 'fra1', deviceId: 'D1', rackId: 'R1',
        name: 'router, edge #1', role: 'ROUTER', positionU: 40, heightU: 2, powerDrawWatts: 650.5,
        purchaseCost: { amount: '38000.00', currency: 'EUR' },
      },
      // A cell that is no number stays text, so validation names the field.
      { externalId: 'PO-2', kind: 'DEVICE_DELIVERED', occurredAt: '2026-01-22T14:00:00Z', popId: 'fra1', deviceId: 'D2', rackId: 'R1', role: 'ROUTER', positionU: 'forty', heightU: 2 },
      { externalId: 'PO-3', kind: 'CIRCUIT_CEASED', occurredAt: '2026-01-22T14:00:00Z', popId: 'fra1', name: '0042' },
    ]);
  });

  it('refuses headers that are no field names, twice the same column, or a field and its nesting', () => {
    assert.throws(() => csvRecords('externalId,__proto__.x\n1,2', 'f.csv'), usage('f.csv: column "__proto__.x" is not a field name (nested money fields are written like monthlyCost.amount)'));
    assert.throws(() => csvRecords('kind,kind\n1,2', 'f.csv'), usage('f.csv: column "kind" appears twice'));
    assert.throws(() => csvRecords('monthlyCost,monthlyCost.amount\n1,2', 'f.csv'), usage('f.csv: columns "monthlyCost" and "monthlyCost.amount" cannot both be present'));
    assert.throws(() => csvRecords('', 'f.csv'), usage('f.csv: no header row'));
    assert.throws(() => csvRecords('a,b\n1,2,3', 'f.csv'), (e: unknown) => e instanceof UsageError && e.message.startsWith('f.csv: Invalid Record Length'));
  });
});

describe('jsonRecords', () => {
  it('takes {records: [...]} or a bare array', () => {
    assert.deepEqual(jsonRecords('{"records":[{"a":1}]}'), [{ a: 1 }]);
    assert.deepEqual(jsonRecords('[{"a":1},{"b":2}]'), [{ a: 1 }, { b: 2 }]);
  });

  it('refuses anything else with a one-line message', () => {
    assert.throws(() => jsonRecords('{"rows":[]}', 'f.json'), usage('f.json must hold {"records": [...]} or an array of records'));
    assert.throws(() => jsonRecords('[{"a":1},"b"]', 'f.json'), usage('f.json: record 2 is not a JSON object'));
    assert.throws(() => jsonRecords('{"records":', 'f.json'), (e: unknown) => e instanceof UsageError && e.message.startsWith('f.json is not valid JSON: '));
  });
});

describe('readRecordFile', () => {
  it('reads by extension and reports unreadable or unsupported files', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'procurement-file-'));
    try {
      await writeFile(join(dir, 'r.JSON'), '[{"externalId":"x"}]');
      assert.deepEqual(await readRecordFile(join(dir, 'r.JSON')), [{ externalId: 'x' }]);
      await assert.rejects(readRecordFile(join(dir, 'r.xlsx')), usage(`${join(dir, 'r.xlsx')}: expected a .csv or .json file`));
      await assert.rejects(readRecordFile(join(dir, 'missing.csv')), usage(`cannot read ${join(dir, 'missing.csv')}: ENOENT`));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('parseImportArgs', () => {
  it('reads the file, --url/--key (also --name=value) and --rejects', () => {
    assert.deepEqual(parseImportArgs(['a.csv']), { file: 'a.csv', url: undefined, key: undefined, rejects: 'a.csv.rejects.csv', help: false });
    assert.deepEqual(parseImportArgs(['--url=http://h:3000', 'a.json', '--key', 'k', '--rejects', 'r.csv']), {
      file: 'a.json', url: 'http://h:3000', key: 'k', rejects: 'r.csv', help: false,
    });
    assert.equal(parseImportArgs(['--help']).help, true);
  });

  it('refuses wrong command lines', () => {
    assert.throws(() => parseImportArgs([]), usage('no input file given'));
    assert.throws(() => parseImportArgs(['a.csv', 'b.csv']), usage('one input file expected, got 2'));
    assert.throws(() => parseImportArgs(['a.csv', '--force']), usage('unknown option --force'));
    assert.throws(() => parseImportArgs(['a.csv', '--url', 'http://h']), usage('--url and --key go together'));
    assert.throws(() => parseImportArgs(['a.csv', '--key']), usage('--key needs a value'));
    assert.throws(() => parseImportArgs(['a.csv', '--url', 'h:3000', '--key', 'k']), usage('--url must be an http(s) URL, got h:3000'));
  });
});
