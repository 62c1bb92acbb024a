import 'reflect-metadata';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RecordedEvent } from '../../src/platform/event-store/event-store.port';
import { commandIdOf } from '../../src/procurement/write/procurement-record.input';
import { NetworkGenerator } from '../../src/tools/seed/network-generator.seed';
import { CommandMix, racksFor } from '../support/command-mix';
import {
  describeReadModels,
  readStorage,
  rebuildStarted,
  relationFiles,
  runRebuildCli,
  sameReadModels,
  startRebuildCli,
  streamDefects,
  type StoredLog,
} from '../support/read-model-tables';
import { bearer, graphql, waitForProjections } from '../support/service-client';
import { SLOT_RACK_U, slotPopBuilder } from '../support/slot-pops';
import { appendToStorage } from '../support/storage-store';
import { loadUntilKill } from './load-until-kill';
import { KEYS, printTable, sized, startServiceUnderTest, type ServiceUnderTest } from './reliability-support';

/**
 * SIGKILL of the service in the middle of a command load and of procurement batches, and of the
 * rebuild CLI in the middle of a rebuild, on the storage the suite runs on: the PostgreSQL server
 * when DATABASE_URL is set, else the embedded default (PGlite in a DATA_DIR, killed with the
 * process). After a restart on the same storage: every acknowledged command is in the log exactly
 * once, no stream has a revision gap, and the read models equal a rebuild of the log, table by table.
 */

const CLIENTS = 16;
const LOAD_MS = sized(3_000, 20_000);
/** Commands per second the slot PoPs are sized for. */
const MAX_RATE = 2_000;
const BATCH_CLIENTS = 4;
const BATCH_RECORDS = 1_000;
const BATCH_LOAD_MS = sized(3_000, 20_000);
/** Procurement records per second the slot PoPs are sized for. */
const MAX_RECORD_RATE = 20_000;
/** PoPs of the generated network whose log the rebuild replays (about 70 events each). */
const REBUILD_POPS = sized(500, 3_000);
/** When to kill the rebuild: fractions of a complete rebuild's time, from the moment its scratch tables exist. */
const REBUILD_KILLS = sized([0.1, 0.35, 0.7], [0.05, 0.2, 0.4, 0.6, 0.8, 0.95]);

interface CommandAnswer {
  data?: Record<string, { streamId: string; eventIds: string[] } | null> | null;
  errors?: Array<{ message: string; extensions?: { code?: string } }>;
}

interface BatchAnswer {
  accepted: number;
  rejected: number;
  results: Array<{ externalId: string; status: string; code?: string; reason?: string; eventIds: string[] }>;
}

/** Stops the service (gracefully: PGlite's directory must be free), reads the storage, rebuilds it with the CLI, and reads it again. */
async function liveAndRebuilt(sut: ServiceUnderTest, streamIds: readonly string[]): Promise<{ live: StoredLog; rebuilt: StoredLog; replayed: number }> {
  await sut.service.stop();
  const live = await readStorage(sut.storage, streamIds);
  const { events: replayed } = await runRebuildCli(sut.storage);
  const rebuilt = await readStorage(sut.storage, streamIds);
  return { live, rebuilt, replayed };
}

/** How many times each event id and each command id occurs in the streams. */
function occurrences(streams: Map<string, RecordedEvent[]>): { events: Map<string, number>; commands: Map<string, number> } {
  const events = new Map<string, number>();
  const commands = new Map<string, number>();
  for (const stream of streams.values()) {
    for (const event of stream) {
      events.set(event.eventId, (events.get(event.eventId) ?? 0) + 1);
      const commandId = event.metadata.commandId;
      commands.set(commandId, (commands.get(commandId) ?? 0) + 1);
    }
  }
  return { events, commands };
}

describe(`reliability: SIGKILL (${process.env.DATABASE_URL ? 'PostgreSQL server' : 'embedded PGlite'})`, { timeout: sized(360_000, 1_800_000) }, () => {
  it('during a command load: keeps every acknowledged command once, without revision gaps, and read models equal to a rebuild', async () => {
    const pops = ['k1', 'k2', 'k3', 'k4', 'k5', 'k6', 'k7', 'k8'];
    const streamIds = pops.map((popId) => `pop-${popId}`);
    const racks = racksFor(pops.length, MAX_RATE, LOAD_MS / 1000);
    const liveAt = Date.now() - 60 * 86_400_000;
    const sut = await startServiceUnderTest('crash', (storage) => appendToStorage(storage, pops.map((popId) => slotPopBuilder(popId, racks, liveAt).toStream())));
    try {
      assert.ok(await waitForProjections(sut.url, KEYS.admin, 120_000), 'projections catch up with the prepared log');
      const mix = new CommandMix(pops, racks, 'crash', new Date().toISOString());
      const load = await loadUntilKill({ url: sut.url, path: '/graphql', secret: KEYS.planner, clients: CLIENTS, loadMs: LOAD_MS, untilAnswered: 1, maxLoadMs: 60_000, next: () => ({ body: mix.next() }), kill: () => sut.service.kill() });
      const acknowledged: Array<{ streamId: string; eventIds: string[] }> = [];
      const refused: string[] = [];
      for (const { status, body } of load.answered) {
        const answer = body as CommandAnswer;
        const result = answer.data ? Object.values(answer.data)[0] : null;
        if (status === 200 && !answer.errors?.length && result) acknowledged.push(result);
        else refused.push(`HTTP ${status} ${answer.errors?.[0]?.extensions?.code ?? ''}: ${answer.errors?.[0]?.message ?? 'no data'}`);
      }

      await sut.restart();
      assert.ok(await waitForProjections(sut.url, KEYS.admin, 120_000), 'projections catch up after the restart');
      const { live, rebuilt, replayed } = await liveAndRebuilt(sut, streamIds);
      const { events } = occurrences(live.streams);
      const notOnce = acknowledged.flatMap((a) => a.eventIds.filter((id) => events.get(id) !== 1).map((id) => `${a.streamId} ${id}: ${events.get(id) ?? 0}×`));
      const entityTwice = [...live.streams].flatMap(([streamId, stream]) => {
        const entities = stream.map((e) => (e.data as Record<string, string>).deviceId ?? (e.data as Record<string, string>).reservationId ?? (e.data as Record<string, string>).feedId ?? (e.data as Record<string, string>).rackId ?? e.type);
        return entities.filter((entity, i) => entities.indexOf(entity) !== i).map((entity) => `${streamId}: ${entity}`);
      });
      const defects = streamDefects(live.streams);
      const landed = [...live.streams.values()].reduce((n, stream) => n + stream.length, 0);
      printTable(`SIGKILL after ${load.loadMs} ms of commands from ${CLIENTS} clients (${sut.storage.kind})`, ['sent', 'acknowledged', 'refused', '5xx/not JSON', 'unanswered', 'in flight at kill', 'events stored', 'ack. not once', 'entity twice', 'revision defects', 'rebuild replayed', 'read models = rebuild'], [
        [load.sent, acknowledged.length, refused.length, load.bad.length, load.unanswered.length, load.inFlightAtKill, landed, notOnce.length, entityTwice.length, defects.length, replayed, sameReadModels(live.readModels, rebuilt.readModels)],
      ]);
      console.log(`  live: ${describeReadModels(live.readModels)}; rebuilt: ${describeReadModels(rebuilt.readModels)}`);
      assert.ok(acknowledged.length > 0, 'the load got answers before the kill');
      assert.deepEqual(load.bad, [], 'no 5xx and no answer that is not JSON');
      assert.deepEqual(refused, [], 'every command of the mix is valid');
      assert.ok(load.unanswered.length <= load.inFlightAtKill, `${load.unanswered.length} requests unanswered, but only ${load.inFlightAtKill} were in flight at the kill`);
      assert.deepEqual(notOnce, [], 'every acknowledged event is stored exactly once');
      assert.deepEqual(entityTwice, [], 'no device or reservation twice');
      assert.deepEqual(defects, [], 'revisions 0..n-1 in every stream');
      assert.equal(replayed, live.events);
      assert.deepEqual(rebuilt.readModels.scratch, []);
      assert.deepEqual(live.readModels.tables, rebuilt.readModels.tables, 'read models after the crash equal a rebuild');
      assert.deepEqual(live.readModels.checkpoints, rebuilt.readModels.checkpoints, 'checkpoints at the head of the log');
    } finally {
      await sut.close();
    }
  });

  it('during procurement batches: each record once after resending the unanswered batches, read models equal to a rebuild', async () => {
    const pops = Array.from({ length: 10 }, (_, i) => `b${i + 1}`);
    const streamIds = pops.map((popId) => `pop-${popId}`);
    const racks = Math.ceil((MAX_RECORD_RATE * (BATCH_LOAD_MS / 1000) * 0.75) / pops.length / SLOT_RACK_U) + 1;
    const liveAt = Date.now() - 60 * 86_400_000;
    const occurredAt = new Date(Date.now() - 86_400_000).toISOString();
    const sut = await startServiceUnderTest('crashbatch', (storage) => appendToStorage(storage, pops.map((popId) => slotPopBuilder(popId, racks, liveAt).toStream())));
    try {
      assert.ok(await waitForProjections(sut.url, KEYS.admin, 120_000), 'projections catch up with the prepared log');
      let n = 0;
      /** Valid new records: three in four deliver a device into the next free slot of a PoP, one in four a circuit. */
      const record = (): Record<string, unknown> => {
        const k = n++;
        const popId = pops[k % pops.length];
        const i = Math.floor(k / pops.length);
        const common = { externalId: `CRASH-${k}`, occurredAt, popId };
        if (i % 4 === 3) return { ...common, kind: 'CIRCUIT_DELIVERED', circuitId: `c-${k}`, carrier: 'Zayo', type: 'ETHERNET', bandwidthMbps: 100, monthlyCost: { amount: '100.00', currency: 'EUR' } };
        const slot = i - Math.floor(i / 4);
        return { ...common, kind: 'DEVICE_DELIVERED', deviceId: `d-${k}`, rackId: `r${Math.floor(slot / SLOT_RACK_U) + 1}`, role: 'SERVER', positionU: (slot % SLOT_RACK_U) + 1, heightU: 1, powerDrawWatts: 10 };
      };
      const nextBatch = () => {
        const records = Array.from({ length: BATCH_RECORDS }, record);
        return { externalIds: records.map((r) => r.externalId as string), body: JSON.stringify({ records }) };
      };
      const load = await loadUntilKill({ url: sut.url, path: '/integrations/procurement/records', secret: KEYS.procurement, clients: BATCH_CLIENTS, loadMs: BATCH_LOAD_MS, untilAnswered: 1, maxLoadMs: 60_000, next: nextBatch, kill: () => sut.service.kill() });
      const problems: string[] = [];
      const acknowledged: Array<{ externalId: string; eventIds: string[] }> = [];
      for (const { status, body } of load.answered) {
        const answer = body as BatchAnswer;
        if (status !== 200) problems.push(`HTTP ${status}: ${JSON.stringify(body).slice(0, 200)}`);
        else acknowledged.push(...answer.results.filter((r) => r.status === 'accepted'));
        for (const r of answer.results?.filter((r) => r.status !== 'accepted') ?? []) problems.push(`${r.externalId} ${r.status} ${r.code ?? ''}: ${r.reason ?? ''}`);
      }

      await sut.restart();
      // A batch cut off by the kill may have committed some PoPs' records: resent, those answer duplicate, the rest accepted.
      const resent = { accepted: 0, duplicates: 0 };
      for (const batch of load.unanswered) {
        const response = await fetch(`${sut.url}/integrations/procurement/records`, { method: 'POST', headers: { 'content-type': 'application/json', ...bearer(KEYS.procurement) }, body: batch.body });
        const answer = (await response.json()) as BatchAnswer;
        if (response.status !== 200) problems.push(`resent: HTTP ${response.status}: ${JSON.stringify(answer).slice(0, 200)}`);
        for (const r of answer.results ?? []) {
          if (r.status === 'accepted') resent.accepted += 1;
          else if (r.status === 'duplicate') resent.duplicates += 1;
          else problems.push(`resent ${r.externalId} ${r.status} ${r.code ?? ''}: ${r.reason ?? ''}`);
        }
      }
      assert.ok(await waitForProjections(sut.url, KEYS.admin, 120_000), 'projections catch up after the restart');
      const { live, rebuilt, replayed } = await liveAndRebuilt(sut, streamIds);
      const { events, commands } = occurrences(live.streams);
      const sentIds = [...load.answered.map((a) => a.request), ...load.unanswered].flatMap((batch) => batch.externalIds);
      const recordsNotOnce = sentIds.filter((id) => commands.get(commandIdOf(id)) !== 1).map((id) => `${id}: ${commands.get(commandIdOf(id)) ?? 0}×`);
      const acknowledgedNotOnce = acknowledged.flatMap((a) => a.eventIds.filter((id) => events.get(id) !== 1).map((id) => `${a.externalId} ${id}: ${events.get(id) ?? 0}×`));
      const procurementEvents = [...live.streams.values()].flat().filter((e) => e.metadata.source === 'procurement').length;
      const defects = streamDefects(live.streams);
      printTable(`SIGKILL after ${load.loadMs} ms of ${BATCH_RECORDS}-record procurement batches from ${BATCH_CLIENTS} clients (${sut.storage.kind})`, ['batches sent', 'answered', '5xx/not JSON', 'unanswered (resent)', 'in flight at kill', 'resent: accepted', 'resent: duplicate', 'problems', 'records sent', 'procurement events', 'record not once', 'revision defects', 'read models = rebuild'], [
        [load.sent, load.answered.length, load.bad.length, load.unanswered.length, load.inFlightAtKill, resent.accepted, resent.duplicates, problems.length, sentIds.length, procurementEvents, recordsNotOnce.length, defects.length, sameReadModels(live.readModels, rebuilt.readModels)],
      ]);
      assert.ok(acknowledged.length > 0, 'batches were answered before the kill');
      assert.deepEqual(load.bad, [], 'no 5xx and no answer that is not JSON');
      assert.ok(load.unanswered.length <= load.inFlightAtKill, `${load.unanswered.length} batches unanswered, but only ${load.inFlightAtKill} were in flight at the kill`);
      assert.deepEqual(problems.slice(0, 10), [], 'every record accepted (or, resent, accepted or duplicate)');
      assert.deepEqual(recordsNotOnce.slice(0, 10), [], 'every record sent is in the log exactly once');
      assert.deepEqual(acknowledgedNotOnce.slice(0, 10), [], 'every acknowledged event is stored exactly once');
      assert.equal(procurementEvents, sentIds.length, 'one event per record, nothing else');
      assert.deepEqual(defects, [], 'revisions 0..n-1 in every stream');
      assert.equal(replayed, live.events);
      assert.deepEqual(live.readModels.tables, rebuilt.readModels.tables, 'read models after the crash equal a rebuild');
      assert.deepEqual(live.readModels.checkpoints, rebuilt.readModels.checkpoints, 'checkpoints at the head of the log');
    } finally {
      await sut.close();
    }
  });

  it('during a rebuild (the rebuild CLI): the log and the live read models survive, and the next rebuild equals them', async () => {
    const now = Date.now();
    const network = new NetworkGenerator({ pops: REBUILD_POPS, years: 2, seed: 7, endMs: now - (now % 86_400_000), provenance: { actor: 'seed', source: 'cli' } });
    const sut = await startServiceUnderTest('crashrebuild', async (storage) => {
      await appendToStorage(storage, network.popStreams(), network.referenceStreams(), network.workloadStreams());
    });
    try {
      assert.ok(await waitForProjections(sut.url, KEYS.admin, 300_000), 'projections catch up with the generated log');
      await sut.service.stop();
      const projectedLive = await readStorage(sut.storage, []);
      const first = await runRebuildCli(sut.storage);
      const reference = await readStorage(sut.storage, []);
      const liveVsRebuild = sameReadModels(projectedLive.readModels, reference.readModels);
      console.log(`  read models the service projected = a whole rebuild: ${liveVsRebuild}`);
      assert.deepEqual(reference.readModels.tables, projectedLive.readModels.tables, 'a rebuild equals what the service projected');
      const rows: Array<Array<string | number>> = [];
      let killedMidRebuild = 0;
      const mismatches: string[] = [];
      for (const fraction of REBUILD_KILLS) {
        const filesBefore = await relationFiles(sut.storage);
        const cli = startRebuildCli(sut.storage);
        const started = await rebuildStarted(sut.storage, cli, filesBefore);
        if (started) await new Promise((resolve) => setTimeout(resolve, fraction * first.seconds * 1000));
        const finishedFirst = cli.exited();
        if (finishedFirst && cli.exitedWith() !== 'code 0') mismatches.push(`kill at ${fraction}: the rebuild ended on its own with ${cli.exitedWith()}: ${cli.output().slice(-300)}`);
        await cli.kill();
        const after = await readStorage(sut.storage, []);
        if (after.readModels.scratch.length > 0) killedMidRebuild += 1;
        const same = sameReadModels(after.readModels, reference.readModels);
        if (after.events !== reference.events) mismatches.push(`kill at ${fraction}: ${after.events} events, expected ${reference.events}`);
        if (same === 'NO') mismatches.push(`kill at ${fraction}: read models differ from before the rebuild`);
        if (JSON.stringify(after.readModels.checkpoints) !== JSON.stringify(reference.readModels.checkpoints)) mismatches.push(`kill at ${fraction}: checkpoints ${JSON.stringify(after.readModels.checkpoints)}`);
        rows.push([`${fraction} × ${first.seconds} s`, started ? 'yes' : 'no', finishedFirst ? `ended: ${cli.exitedWith()}` : 'SIGKILL', after.readModels.scratch.length, after.events, same]);
      }
      // The service starts on what the kills left, and serves what it served before.
      await sut.restart();
      assert.ok(await waitForProjections(sut.url, KEYS.admin, 300_000), 'projections run after the killed rebuilds');
      const pops = await graphql<{ pops: { totalCount: number } }>(sut.url, KEYS.viewer, '{ pops(first: 1) { totalCount } }');
      await sut.service.stop();
      const again = await runRebuildCli(sut.storage);
      const final = await readStorage(sut.storage, []);
      rows.push(['then a whole rebuild', 'yes', 'code 0', final.readModels.scratch.length, final.events, sameReadModels(final.readModels, reference.readModels)]);
      printTable(`SIGKILL of the rebuild CLI over ${reference.events} events (${network.stats.pops} PoPs; a whole rebuild took ${first.seconds} s, ${(first.wallMs / 1000).toFixed(1)} s with start-up; ${sut.storage.kind})`, ['kill', 'scratch tables seen', 'CLI', 'scratch tables left', 'events', 'read models = before'], rows);
      console.log(`  read models: ${describeReadModels(reference.readModels)}`);
      assert.deepEqual(mismatches, []);
      assert.ok(killedMidRebuild > 0, 'at least one kill came while the rebuild was replaying into its scratch tables');
      assert.equal(pops.data?.pops.totalCount, network.stats.pops);
      assert.equal(again.events, reference.events);
      assert.deepEqual(final.readModels.scratch, []);
      assert.deepEqual(final.readModels.tables, reference.readModels.tables, 'the rebuild after the crashes equals the read models before them');
      assert.deepEqual(final.readModels.checkpoints, reference.readModels.checkpoints);
    } finally {
      await sut.close();
    }
  });
});
