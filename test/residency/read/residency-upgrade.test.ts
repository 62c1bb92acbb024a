import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { residencyMigrations } from '../../../src/residency';
import { createTestStorage, PATIENT_READS, startCaughtUp, startTestApp, TestStorage, undoMigration } from '../../support/test-app';
import { ResidencyWorld } from './residency-world';

describe('residency CSV after an upgrade from tables without event id columns', () => {
  let storage: TestStorage;
  before(async () => {
    storage = await createTestStorage({ persistent: true });
  });
  after(() => storage?.dispose());

  it('drops the old tables and replays the residency read model, which then fills the event ids the CSV shows', async () => {
    const params = { asOf: '2026-02-01T00:00:00.000Z' };
    const first = await startTestApp({}, PATIENT_READS, storage);
    let csv: string;
    try {
      const world = new ResidencyWorld(first);
      await world.record();
      csv = await (await world.rest('/reports/residency.csv', params)).text();
      assert.ok(csv.split('\r\n').length > 10);
    } finally {
      await first.close();
    }
    // The tables as the previous version made them: evidence as json only.
    await undoMigration(storage, residencyMigrations[0].id, `ALTER TABLE rm_res_workload DROP COLUMN event_id;
        ALTER TABLE rm_res_pop DROP COLUMN event_id;
        ALTER TABLE rm_res_placement DROP COLUMN event_id, DROP COLUMN effective_at`);

    const upgraded = await startCaughtUp(storage);
    try {
      assert.equal(await (await new ResidencyWorld(upgraded).rest('/reports/residency.csv', params)).text(), csv);
    } finally {
      await upgraded.close();
    }
  });
});
