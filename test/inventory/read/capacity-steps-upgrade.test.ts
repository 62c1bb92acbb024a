import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { inventoryMigrations } from '../../../src/inventory';
import { mutation, physicalPopSetup } from '../../support/fixtures';
import { createTestStorage, PATIENT_READS, startCaughtUp, startTestApp, TestStorage, undoMigration } from '../../support/test-app';

const T0 = '2026-01-01T00:00:00Z';

describe('capacity after an upgrade from step tables without blocks', () => {
  let storage: TestStorage;
  before(async () => {
    storage = await createTestStorage({ persistent: true });
  });
  after(() => storage?.dispose());

  it('replaces the old step tables (and a rebuild scratch copy) by the view and replays the inventory read model', async () => {
    const first = await startTestApp({}, PATIENT_READS, storage);
    try {
      for (const [name, input] of physicalPopSetup('up1', T0)) await first.gql(mutation(name), { input });
      const device = { popId: 'up1', deviceId: 'd1', rackId: 'r1', role: 'STORAGE', positionU: 7, heightU: 3, powerDrawWatts: 100, effectiveAt: T0 };
      assert.equal((await first.gql(mutation('installDevice'), { input: device })).data.installDevice.projected, true);
    } finally {
      await first.close();
    }
    // The step tables as the previous version made them (plain tables under the views' names), with wrong figures.
    await undoMigration(storage, inventoryMigrations[1].id, `DROP VIEW rm_pop_step, rm_rack_step;
        DROP TABLE rm_pop_step_points, rm_pop_step_blocks, rm_rack_step_points, rm_rack_step_blocks;
        CREATE TABLE rm_pop_step (pop_id text NOT NULL, at timestamptz NOT NULL, total_u int NOT NULL, used_u int NOT NULL, PRIMARY KEY (pop_id, at));
        CREATE TABLE rm_pop_step__rebuild (pop_id text NOT NULL, at timestamptz NOT NULL, total_u int NOT NULL, used_u int NOT NULL);
        CREATE TABLE rm_rack_step (pop_id text NOT NULL, rack_id text NOT NULL, at timestamptz NOT NULL, a_kw float8 NOT NULL);
        INSERT INTO rm_pop_step VALUES ('up1', '2025-01-01T00:00:00Z', 999, 999)`);

    const upgraded = await startCaughtUp(storage);
    try {
      const capacity = await upgraded.gql('{ capacity(popId: "up1", asOf: "2026-01-01T00:00:00Z") { space { usedU totalU } } }');
      assert.deepEqual(capacity.data.capacity.space, { usedU: 3, totalU: 42 });
    } finally {
      await upgraded.close();
    }
  });
});
