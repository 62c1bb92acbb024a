import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SQL_CLIENT, SqlClient } from '../../src/platform/database/sql-client.port';
import { createTestStorage, startTestApp, TestApp } from '../support/test-app';
import { device, physicalPop, run, subscribe } from './outbound-client';
import { WebhookReceiver } from './webhook-receiver';

/**
 * A restart in the middle of deliveries (docs/outbound-events.md, "Guarantees and operations"): the
 * outbox keeps exactly one row per integration event, and each subscription gets every event at least
 * once, in order, with the same id. (The SIGKILL variant is test/reliability/outbound-crash.test.ts.)
 */

const SECRET = 'restart-secret-0123456789';

describe('outbox across a restart', { timeout: 300_000 }, () => {
  it('loses and doubles nothing; deliveries go on from where they were', async () => {
    const receiver = await WebhookReceiver.start();
    const storage = await createTestStorage({ persistent: true });
    const config = { OUTBOX_RETRY_BASE_MS: 3_600_000, OUTBOX_MAX_ATTEMPTS: 100 };
    let app: TestApp | undefined = await startTestApp(config, {}, storage);
    try {
      const slow = receiver.endpoint('/slow', SECRET, () => ({ status: 200, delayMs: 30 }));
      // Keeps failing with an hour's back-off: its position stays at the start, so no outbox row can be pruned.
      const stuck = receiver.endpoint('/stuck', SECRET, () => 503);
      await subscribe(app, { subscriptionId: 'slow', url: slow, eventTypes: ['INVENTORY_CHANGED', 'CAPACITY_STATUS_CHANGED'], secret: SECRET });
      await subscribe(app, { subscriptionId: 'stuck', url: stuck, eventTypes: ['INVENTORY_CHANGED'], secret: SECRET });
      const ids: string[] = [];
      await physicalPop(app, 'rs1', '2026-01-01T00:00:00Z');
      for (let i = 1; i <= 8; i++) ids.push(...(await run(app, 'installDevice', device('rs1', `d${i}`, i, 500, `2026-02-0${i}T00:00:00Z`))).eventIds);
      await receiver.waitFor(() => receiver.at('/slow').length >= 3, 120_000, 'some deliveries');
      await app.close();
      app = undefined;
      const beforeRestart = receiver.at('/slow').length;

      app = await startTestApp(config, {}, storage);
      for (let i = 9; i <= 10; i++) ids.push(...(await run(app, 'installDevice', device('rs1', `d${i}`, i, 500, `2026-02-${i < 10 ? `0${i}` : i}T00:00:00Z`))).eventIds);
      const sql = app.app.get<SqlClient>(SQL_CLIENT);
      const { rows } = await sql.query<{ type: string; event_id: string; seq: string }>('SELECT type, event_id, seq FROM outbox_events ORDER BY seq');
      const changeFeed = rows.filter((row) => row.type === 'INVENTORY_CHANGED').map((row) => row.event_id);
      assert.equal(changeFeed.length, 15, 'one INVENTORY_CHANGED per PoP event: 5 set-up events and 10 devices');
      assert.deepEqual(changeFeed.slice(5), ids, 'in log order');
      assert.equal(new Set(rows.map((row) => row.event_id)).size, rows.length, 'no row twice');
      assert.deepEqual(rows.map((row) => Number(row.seq)), rows.map((_, i) => Number(rows[0].seq) + i), 'no gap');
      // 8 × 500 W reach 71.5 % of 5.5936 kW (WARNING), 9 × 80.4 % (CRITICAL).
      assert.deepEqual(rows.filter((row) => row.type === 'CAPACITY_STATUS_CHANGED').length, 2);

      await receiver.waitFor(() => new Set(receiver.at('/slow').map((d) => d.body.id)).size >= rows.length, 120_000, 'every event after the restart');
      const firsts = [...new Set(receiver.at('/slow').map((d) => d.body.id))];
      assert.deepEqual(firsts, rows.map((row) => row.event_id), 'each event, in outbox order');
      assert.ok(receiver.at('/slow').length - firsts.length <= 1, `at most the one in flight again (${receiver.at('/slow').length - firsts.length}; ${beforeRestart} before the restart)`);
      assert.ok(receiver.at('/slow').every((d) => d.signatureValid));
      assert.deepEqual([...new Set(receiver.at('/stuck').map((d) => d.body.id))], [rows[0].event_id], 'the failing one still retries its first event');
    } finally {
      await app?.close();
      await receiver.close();
      await storage.dispose();
    }
  });
});
