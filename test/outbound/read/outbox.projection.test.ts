import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { eventsFor, rebuildTables, upcastAll } from '../../../src/platform/projections/projection.port';
import { outboundProjections } from '../../../src/outbound';
import { RecordedEvent } from '../../../src/platform/event-store/event-store.port';
import { fedRack, iso, popEvents, T0 } from '../../support/pop-builders';
import { GivenEvent } from '../../support/projection-spec';
import { testDatabases } from '../../support/test-databases';
import { announced, OutboxWorld, recorded, THRESHOLDS } from './outbox-world';
import { statementSpy } from '../../support/statement-spy';
import { inventoryChanged, serializeEvent } from '../../../src/outbound/domain/integration-event.rules';

/**
 * The outbox projection on a real database, fed like the live runner feeds it (all projections of a batch
 * in one transaction). PoP p1: rack r1 with one A feed, usable 5.5936 kW: 4 kW is 71.5103 % (WARNING),
 * 4.5 kW 80.4491 % (CRITICAL).
 */

const onPop = (events: ReturnType<typeof fedRack>): GivenEvent[] => events.map((event) => ({ ...event, streamId: 'pop-p1' }));
const RECORDED_AT = '2026-01-01T00:00:00.000Z';

const workloadEvent = (type: string, data: Record<string, unknown>, effectiveAt: string): GivenEvent => ({ type, data, effectiveAt, streamId: `workload-${data.workloadId}` });
const policyEvent = (type: string, data: Record<string, unknown>, effectiveAt: string): GivenEvent => ({ type, data, effectiveAt, streamId: `policy-${data.policyId}` });

/** Runs `check` on the events as one batch and as one batch per event, on every test database. */
async function bothWays(events: GivenEvent[], check: (world: OutboxWorld, log: RecordedEvent[], mode: string) => Promise<void>): Promise<void> {
  for (const database of testDatabases()) {
    const log = recorded(events);
    for (const [mode, batches] of [['one batch', [log]], ['one event per batch', log.map((event) => [event])]] as const) {
      const world = await OutboxWorld.create(database);
      try {
        await world.apply(batches as RecordedEvent[][]);
        await check(world, log, `${database.name}, ${mode}`);
      } finally {
        await world.dispose();
      }
    }
  }
}

describe('outbox projection (docs/outbound-events.md)', { timeout: 300_000 }, () => {
  it('records every PoP event as INVENTORY_CHANGED and each status change at the instant it takes effect, in log order', async () => {
    const events = onPop([
      ...fedRack(),
      popEvents.device(iso('2027-02-01'), 'd1', 'r1', 1, 1, 4000),
      popEvents.device(iso('2027-03-01'), 'd2', 'r1', 2, 1, 500),
    ]);
    await bothWays(events, async (world, log, mode) => {
      const rows = await world.rows();
      assert.deepEqual(announced(rows), [
        'p1 POWER_KW OK->WARNING 71.5103 @2027-02-01T00:00:00.000Z',
        'p1 POWER_KW WARNING->CRITICAL 80.4491 @2027-03-01T00:00:00.000Z',
      ], mode);
      const feed = rows.filter((row) => row.type === 'INVENTORY_CHANGED');
      assert.deepEqual(feed.map((row) => row.id), log.map((event) => event.eventId), `${mode}: one per PoP event, its id`);
      assert.deepEqual(feed.map((row) => row.data), log.map((event) => event.data), mode);
      assert.deepEqual(rows.map((row) => row.seq), rows.map((_, i) => i + 1), `${mode}: gap-free sequence`);
      if (mode.endsWith('one event per batch')) {
        assert.deepEqual(
          rows.map((row) => `${row.type} ${row.sourcePosition === log[4].position ? 'd1' : row.sourcePosition === log[5].position ? 'd2' : '-'}`),
          ['INVENTORY_CHANGED -', 'INVENTORY_CHANGED -', 'INVENTORY_CHANGED -', 'INVENTORY_CHANGED -', 'INVENTORY_CHANGED d1', 'CAPACITY_STATUS_CHANGED d1', 'INVENTORY_CHANGED d2', 'CAPACITY_STATUS_CHANGED d2'],
          'each change right after the event that caused it',
        );
        const change = rows[5];
        assert.deepEqual({ popId: change.popId, occurredAt: change.occurredAt, data: change.data }, {
          popId: 'p1',
          occurredAt: log[4].recordedAt,
          data: { popId: 'p1', resource: 'POWER_KW', from: 'OK', to: 'WARNING', utilizationPercent: 71.5103, effectiveAt: '2027-02-01T00:00:00.000Z' },
        });
      }
    });
  });

  it('stores each body exactly as serialized, whatever its text holds (quotes, backslashes, newlines, tabs, non-ASCII)', async () => {
    const named = (event: ReturnType<typeof popEvents.device>, name: string) => ({ ...event, data: { ...event.data, name } });
    const events = onPop([
      ...fedRack(),
      named(popEvents.device(iso('2027-02-01'), 'd1', 'r1', 1, 1, 100), 'a "quoted" name\nover two lines'),
      named(popEvents.device(iso('2027-02-02'), 'd2', 'r1', 2, 1, 100), 'back\\slash\ttab, ünïcødé 🚀, \u2028'),
      named(popEvents.device(iso('2027-02-03'), 'd3', 'r1', 3, 1, 100), ''),
    ]);
    await bothWays(events, async (world, log, mode) => {
      const { rows } = await world.db.sql.query<{ body: string }>(`SELECT body FROM outbox_events WHERE type = 'INVENTORY_CHANGED' ORDER BY seq`);
      const expected = log.map((event) => serializeEvent(inventoryChanged({ eventId: event.eventId, recordedAt: event.recordedAt, data: event.data })));
      assert.deepEqual(rows.map(({ body }) => body), expected, mode);
    });
  });

  it('announces a change caused by a back-dated event at its effective time, and moves a known one earlier without repeating it', async () => {
    const events = onPop([
      ...fedRack(),
      popEvents.device(iso('2027-03-01'), 'd1', 'r1', 1, 1, 4000),
      popEvents.circuit(iso('2027-04-01'), 'c1', 1000),
      // Recorded after the above, effective before them.
      popEvents.reserved(iso('2027-04-02'), 'x1', 'POWER_KW', 4, iso('2027-01-15'), iso('2027-03-01')),
      popEvents.reserved(iso('2027-04-02'), 'x2', 'SPACE_U', 30, iso('2027-01-20'), null),
    ]);
    await bothWays(events, async (world, _log, mode) => {
      assert.deepEqual(announced(await world.rows()), [
        ...(mode.endsWith('one batch') ? [] : ['p1 POWER_KW OK->WARNING 71.5103 @2027-03-01T00:00:00.000Z']),
        'p1 POWER_KW OK->WARNING 71.5103 @2027-01-15T00:00:00.000Z',
        'p1 SPACE_U OK->WARNING 71.4286 @2027-01-20T00:00:00.000Z',
      ], mode);
    });
  });

  it('announces planned changes at their future instant, and takes back one that will not happen', async () => {
    const events = onPop([
      ...fedRack(),
      popEvents.reserved(iso('2027-01-10'), 'x1', 'POWER_KW', 4.5, iso('2027-06-01'), iso('2027-09-01')),
      popEvents.released(iso('2027-02-01'), 'x1'),
    ]);
    await bothWays(events, async (world, _log, mode) => {
      const lines = announced(await world.rows());
      if (mode.endsWith('one batch')) assert.deepEqual(lines, [], `${mode}: planned and taken back within one batch: nothing to announce`);
      else {
        assert.deepEqual(lines, [
          'p1 POWER_KW OK->CRITICAL 80.4491 @2027-06-01T00:00:00.000Z',
          'p1 POWER_KW CRITICAL->OK 0 @2027-09-01T00:00:00.000Z',
          'p1 POWER_KW CRITICAL->OK 0 @2027-06-01T00:00:00.000Z',
        ], mode);
      }
    });
  });

  it('announces residency violations opening and closing, with the placement, category and policy', async () => {
    const events: GivenEvent[] = [
      { ...popEvents.registered(T0, { popId: 'sin1', code: 'SIN1', countryCode: 'SG' }), streamId: 'pop-sin1' },
      { ...popEvents.registered(T0, { popId: 'fra1', code: 'FRA1', countryCode: 'DE' }), streamId: 'pop-fra1' },
      workloadEvent('WorkloadRegistered', { workloadId: 'w1', tenant: 'acme', name: 'CRM', dataCategories: ['PERSONAL', 'TELEMETRY'] }, T0),
      policyEvent('ResidencyPolicyDefined', {
        policyId: 'eu-only', name: 'EU only', kind: 'ALLOWED_LOCATIONS', dataCategory: 'PERSONAL', tenant: null,
        allowedCountries: [], allowedGroups: ['EU'], deniedCountries: [], citation: null,
      }, iso('2027-01-01')),
      workloadEvent('WorkloadPlaced', { workloadId: 'w1', popId: 'fra1', role: 'PRIMARY' }, iso('2027-02-01')),
      workloadEvent('WorkloadPlaced', { workloadId: 'w1', popId: 'sin1', role: 'REPLICA' }, iso('2027-02-01')),
      workloadEvent('WorkloadWithdrawn', { workloadId: 'w1', popId: 'sin1' }, iso('2027-05-01')),
      workloadEvent('WorkloadPlaced', { workloadId: 'w1', popId: 'sin1', role: 'CACHE' }, iso('2027-06-01')),
      policyEvent('ResidencyPolicyRetired', { policyId: 'eu-only' }, iso('2027-08-01')),
    ];
    await bothWays(events, async (world, log, mode) => {
      const rows = (await world.rows()).filter((row) => row.type.startsWith('RESIDENCY'));
      const expected = [
        'RESIDENCY_VIOLATION_OPENED w1@sin1 PERSONAL eu-only @2027-02-01T00:00:00.000Z',
        'RESIDENCY_VIOLATION_CLOSED w1@sin1 PERSONAL eu-only @2027-05-01T00:00:00.000Z',
        'RESIDENCY_VIOLATION_OPENED w1@sin1 PERSONAL eu-only @2027-06-01T00:00:00.000Z',
        'RESIDENCY_VIOLATION_CLOSED w1@sin1 PERSONAL eu-only @2027-08-01T00:00:00.000Z',
      ];
      assert.deepEqual(announced(rows), expected, mode);
      if (mode.endsWith('one event per batch')) {
        assert.deepEqual(rows[0].data, {
          workloadId: 'w1', tenant: 'acme', dataCategory: 'PERSONAL', popId: 'sin1', popCode: 'SIN1', countryCode: 'SG', role: 'REPLICA',
          policyId: 'eu-only', reason: 'ALLOWED_LOCATIONS: SG is not in the allowed set (allowed: EU)', effectiveAt: '2027-02-01T00:00:00.000Z',
        });
        assert.equal(rows[0].sourcePosition, log[5].position, 'announced right after the placement');
        assert.match(rows[1].data.reason, /withdrawn/);
        assert.match(rows[3].data.reason, /policy eu-only retired/);
      }
    });
  });

  it('locks its state and reads what was announced of the touched PoPs in one statement', async () => {
    for (const database of testDatabases()) {
      const log = recorded(onPop([...fedRack(), popEvents.device(iso('2027-02-01'), 'd1', 'r1', 1, 1, 4000)]));
      const world = await OutboxWorld.create(database);
      try {
        await world.apply([log.slice(0, 4)]);
        await world.apply([log.slice(4)], ['planning_inventory', 'cost', 'fx-rates', 'residency']);
        const [outbox] = outboundProjections(THRESHOLDS);
        const reads: string[] = [];
        await world.db.sql.transaction((tx) =>
          outbox.handle(statementSpy(tx, (text) => /outbox_state|outbox_capacity_status/.test(text) && !/^\s*(WITH appended|INSERT|DELETE)/.test(text) && reads.push(text)), eventsFor(outbox, upcastAll(log.slice(4))), rebuildTables),
        );
        assert.equal(reads.length, 1, database.name);
        assert.match(reads[0], /outbox_state[^]*FOR UPDATE[^]*outbox_capacity_status/, database.name);
        assert.deepEqual(announced(await world.rows()), ['p1 POWER_KW OK->WARNING 71.5103 @2027-02-01T00:00:00.000Z'], database.name);
      } finally {
        await world.dispose();
      }
    }
  });

  it('records nothing again when the log is replayed (a rebuild, a checkpoint moved back)', async () => {
    for (const database of testDatabases()) {
      const log = recorded(onPop([...fedRack(), popEvents.device(iso('2027-02-01'), 'd1', 'r1', 1, 1, 4000)]));
      const world = await OutboxWorld.create(database);
      try {
        await world.apply(log.map((event) => [event]));
        const before = await world.rows();
        assert.equal(before.length, 6);
        await world.apply([log], ['outbox']);
        const [outbox] = outboundProjections(THRESHOLDS);
        await world.db.sql.transaction((tx) => outbox.handle(tx, eventsFor(outbox, upcastAll(log)), rebuildTables));
        assert.deepEqual(await world.rows(), before);
      } finally {
        await world.dispose();
      }
    }
  });

  it('a replay that finds the outbox behind (stopped, failed) records exactly what is missing', async () => {
    for (const database of testDatabases()) {
      const log = recorded(onPop([...fedRack(), popEvents.device(iso('2027-02-01'), 'd1', 'r1', 1, 1, 4000), popEvents.device(iso('2027-03-01'), 'd2', 'r1', 2, 1, 500)]));
      const world = await OutboxWorld.create(database);
      try {
        await world.apply([log.slice(0, 5)]);
        await world.apply([log.slice(5)], ['planning_inventory', 'cost', 'fx-rates', 'residency']);
        assert.equal((await world.rows()).length, 6);
        const [outbox] = outboundProjections(THRESHOLDS);
        await world.db.sql.transaction((tx) => outbox.handle(tx, eventsFor(outbox, upcastAll(log)), rebuildTables));
        const rows = await world.rows();
        assert.deepEqual(rows.filter((row) => row.type === 'INVENTORY_CHANGED').map((row) => row.id), log.map((event) => event.eventId));
        assert.deepEqual(announced(rows), [
          'p1 POWER_KW OK->WARNING 71.5103 @2027-02-01T00:00:00.000Z',
          'p1 POWER_KW WARNING->CRITICAL 80.4491 @2027-03-01T00:00:00.000Z',
        ]);
      } finally {
        await world.dispose();
      }
    }
  });

  it('on a log that existed before the outbox, announces only what comes after, against the state caught up silently', async () => {
    for (const database of testDatabases()) {
      const log = recorded(onPop([...fedRack(), popEvents.device(iso('2027-02-01'), 'd1', 'r1', 1, 1, 4000), popEvents.device(iso('2027-03-01'), 'd2', 'r1', 2, 1, 500)]));
      const world = await OutboxWorld.create(database, log[4].position);
      try {
        await world.apply([log.slice(0, 3), log.slice(3, 5), [log[5]]]);
        const rows = await world.rows();
        assert.deepEqual(rows.map((row) => row.type), ['INVENTORY_CHANGED', 'CAPACITY_STATUS_CHANGED']);
        assert.equal(rows[0].id, log[5].eventId);
        assert.deepEqual(announced(rows), ['p1 POWER_KW WARNING->CRITICAL 80.4491 @2027-03-01T00:00:00.000Z']);
        assert.equal(rows[0].occurredAt, RECORDED_AT.slice(0, 20) + '005Z');
      } finally {
        await world.dispose();
      }
    }
  });
});
