import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { residencyMigrations } from '../../../src/residency';
import { loadConfig } from '../../../src/platform/config/app.config';
import { createSqlClient } from '../../../src/platform/database/sql-client.factory';
import { createTestStorage, PATIENT_READS, startTestApp, TestStorage } from '../../support/test-app';
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
    const config = loadConfig({ ...storage.env, LOG_LEVEL: 'warn' }, storage.overrides);
    const sql = await createSqlClient({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR, schema: config.databaseSchema });
    try {
      await sql.query(`ALTER TABLE rm_res_workload DROP COLUMN event_id;
        ALTER TABLE rm_res_pop DROP COLUMN event_id;
        ALTER TABLE rm_res_placement DROP COLUMN event_id, DROP COLUMN effective_at`);
      await sql.query('DELETE FROM schema_migrations WHERE id = $1', [residencyMigrations[0].id]);
    } finally {
      await sql.close();
    }

    const upgraded = await startTestApp({}, PATIENT_READS, storage);
    try {
      const lag = async () => (await upgraded.gql<{ projectionStatus: Array<{ name: string; lagEvents: number }> }>('{ projectionStatus { name lagEvents } }')).data.projectionStatus;
      const deadline = Date.now() + 30_000;
      while ((await lag()).some((p) => p.lagEvents > 0) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      assert.equal(await (await new ResidencyWorld(upgraded).rest('/reports/residency.csv', params)).text(), csv);
    } finally {
      await upgraded.close();
    }
  });
});
