import {
  CAPACITY_RESOURCES,
  capacityAffectedFrom,
  CapacityResource,
  CapacityThresholds,
  EMPTY_STATUSES,
  POP_EVENT_TYPES,
  PopEvent,
  readStatusTimelines,
  ResourceStatus,
} from '../../inventory';
import { loadViolationSubjects, POLICY_EVENT_TYPES, ViolationChange, violationTimeline, WORKLOAD_EVENT_TYPES } from '../../residency';
import { SqlQueryable } from '../../platform/database/sql-client.port';
import { RecordedEvent } from '../../platform/event-store/event-store.port';
import { Projection } from '../../platform/projections/projection.port';
import { capacityStatusChanged, inventoryChanged, residencyViolationChanged, serializeEvent } from '../domain/integration-event.rules';
import { IntegrationEvent, SourceEvent } from '../domain/integration-event.types';
import { StatusLevel } from '../domain/outbound.enums';
import { announcements, compress, Same, Timeline } from '../domain/timeline-diff.math';
import { announcedOf, AnnouncedStatus, readAnnouncedStatuses, replaceAnnouncedStatuses } from './capacity-announced.table';
import { lockOutboxState, OutboxRow, recordOutbox } from './outbox.sql';
import { readAnnouncedViolations, replaceAnnouncedViolations, violationKey } from './residency-announced.table';

export const OUTBOX_PROJECTION = 'outbox';

const POP_TYPES: ReadonlySet<string> = new Set(POP_EVENT_TYPES);

export interface OutboxProjectionOptions {
  thresholds: CapacityThresholds;
}

/** An integration event and the ledger event it is attributed to (its place in the outbox). */
interface Output {
  position: string;
  /** Within one ledger event: its change-feed entry first, then capacity, then residency announcements. */
  rank: 0 | 1 | 2;
  /** Then in effective-time order (ties keep PoP, resource or placement order). */
  at: string;
  event: IntegrationEvent;
}

/**
 * The outbox (docs/outbound-events.md), fed like a read model: each batch of the log is turned into
 * integration events in the engine's transaction, together with the projection's checkpoint.
 *
 * - INVENTORY_CHANGED: one per PoP event.
 * - CAPACITY_STATUS_CHANGED: the statuses over effective time of each PoP a batch touched are read from the
 *   planning read model (which the engine applied first, in the same transaction) from the earliest
 *   instant the batch can have changed, and compared with what was announced before
 *   (`timeline-diff.math.ts`): back-dated and planned facts are announced at the instant they take effect.
 * - RESIDENCY_VIOLATION_OPENED / _CLOSED: the same over the violation timelines of the placements a batch
 *   touched (placed, withdrawn, or under a policy defined or retired), from the residency read model.
 *
 * It has no tables to rebuild and resumes on a rebuild: its checkpoint stays where it is (a FAILED status
 * is cleared), so a rebuild never records or sends the past again and loses nothing. On top of that,
 * `outbox_state` says up to where the ledger has been recorded (state) and announced (emit), so events
 * at or before it are skipped whoever hands them again, and a first start on an existing log catches up
 * silently (announcing only what comes after it). Changes within one batch are announced net.
 */
export function outboxProjection(options: OutboxProjectionOptions): Projection {
  return {
    name: OUTBOX_PROJECTION,
    eventTypes: [...POP_EVENT_TYPES, ...WORKLOAD_EVENT_TYPES, ...POLICY_EVENT_TYPES],
    tables: [],
    createTables: () => '',
    resumesOnRebuild: true,
    handle: (tx, events) => recordBatch(tx, events, options),
  };
}

async function recordBatch(tx: SqlQueryable, events: RecordedEvent[], options: OutboxProjectionOptions): Promise<void> {
  if (events.length === 0) return;
  const touched = capacityTouched(events);
  const { state, announced } = await lockOutboxState(tx, requestsOf(touched));
  const fresh = state.statePosition === null ? events : events.filter((event) => event.position > (state.statePosition as string));
  if (fresh.length === 0) return;
  // Some events were recorded already (handed again): what the others touched is read on its own.
  const capacity = fresh.length === events.length ? { touched, announced } : await readCapacityTouched(tx, fresh);
  const emits = (position: string) => state.emitPosition === null || position > state.emitPosition;
  const outputs: Output[] = [];
  for (const event of fresh) {
    if (POP_TYPES.has(event.type) && emits(event.position)) outputs.push({ position: event.position, rank: 0, at: '', event: inventoryChanged(sourceOf(event)) });
  }
  outputs.push(...(await capacityChanges(tx, capacity, options.thresholds)));
  outputs.push(...(await residencyChanges(tx, fresh)));
  const rows: OutboxRow[] = outputs
    .filter((output) => emits(output.position))
    .sort((a, b) => (a.position < b.position ? -1 : a.position > b.position ? 1 : a.rank - b.rank || (a.at < b.at ? -1 : a.at > b.at ? 1 : 0)))
    .map(({ event, position }) => ({ eventId: event.id, type: event.type, popId: event.popId, body: serializeEvent(event), sourcePosition: position }));
  await recordOutbox(tx, state, rows, events[events.length - 1].position);
}

function sourceOf(event: RecordedEvent): SourceEvent {
  return { eventId: event.eventId, recordedAt: event.recordedAt, data: event.data };
}

function toPopEvent(event: RecordedEvent): PopEvent {
  return { type: event.type, data: event.data, effectiveAt: event.metadata.effectiveAt } as PopEvent;
}

/** The earlier of two instants; null (the beginning) wins. */
function earlier(a: string | null, b: string | null): string | null {
  return a === null || b === null ? null : a < b ? a : b;
}

type StatusValue = { status: StatusLevel; utilizationPercent: number };
const sameStatus: Same<StatusValue> = (a, b) => a.status === b.status;

type Touched = Map<string, { since: string | null; source: RecordedEvent }>;

/** Per PoP whose capacity the events can change: the earliest instant they change it from, and the last of them. */
function capacityTouched(events: RecordedEvent[]): Touched {
  const touched: Touched = new Map();
  for (const event of events) {
    if (!POP_TYPES.has(event.type)) continue;
    const from = capacityAffectedFrom(toPopEvent(event));
    if (from === undefined) continue;
    const popId = event.data.popId as string;
    const entry = touched.get(popId);
    if (entry) touched.set(popId, { since: earlier(entry.since, from), source: event });
    else touched.set(popId, { since: from, source: event });
  }
  return touched;
}

function requestsOf(touched: Touched): Array<{ popId: string; since: string | null }> {
  return [...touched].map(([popId, { since }]) => ({ popId, since }));
}

async function readCapacityTouched(tx: SqlQueryable, events: RecordedEvent[]): Promise<{ touched: Touched; announced: Map<string, AnnouncedStatus> }> {
  const touched = capacityTouched(events);
  return { touched, announced: await readAnnouncedStatuses(tx, requestsOf(touched)) };
}

async function capacityChanges(tx: SqlQueryable, { touched, announced }: { touched: Touched; announced: Map<string, AnnouncedStatus> }, thresholds: CapacityThresholds): Promise<Output[]> {
  if (touched.size === 0) return [];
  const requests = requestsOf(touched);
  // An announcement where only the announced timeline changes carries the utilization in force there.
  const pinned = (popId: string) => CAPACITY_RESOURCES.flatMap((resource) => announcedOf(announced, popId, resource).changes.map(({ at }) => at));
  const timelines = await readStatusTimelines(tx, requests.map((request) => ({ ...request, pinned: pinned(request.popId) })), thresholds);
  const outputs: Output[] = [];
  const rewritten: Array<{ popId: string; since: string | null }> = [];
  const stored: Array<{ popId: string; resource: CapacityResource; at: string; status: StatusLevel }> = [];
  for (const { popId, since } of requests) {
    const timeline = timelines.get(popId);
    const source = (touched.get(popId) as { source: RecordedEvent }).source;
    const changes: typeof stored = [];
    let differs = false;
    for (const resource of CAPACITY_RESOURCES) {
      const before = announcedOf(announced, popId, resource);
      const previous: Timeline<StatusValue> = {
        before: { status: before.before, utilizationPercent: 0 },
        changes: before.changes.map(({ at, status }) => ({ at, value: { status, utilizationPercent: 0 } })),
      };
      const value = (statuses: ResourceStatus): StatusValue => ({ status: statuses.status, utilizationPercent: statuses.utilizationPercent });
      const next: Timeline<StatusValue> = {
        before: value((timeline?.before ?? EMPTY_STATUSES)[resource]),
        changes: (timeline?.points ?? []).map(({ at, statuses }) => ({ at, value: value(statuses[resource]) })),
      };
      for (const { at, from, to } of announcements(previous, next, sameStatus)) {
        const event = capacityStatusChanged(sourceOf(source), { popId, resource, from: from.status, to: to.status, utilizationPercent: to.utilizationPercent, effectiveAt: at });
        outputs.push({ position: source.position, rank: 1, at, event });
      }
      // Stored as the consumers now see it: from what they saw before `since` on.
      const kept = compress({ before: previous.before, changes: next.changes }, sameStatus);
      differs ||= kept.length !== before.changes.length || kept.some((change, i) => change.at !== before.changes[i].at || change.value.status !== before.changes[i].status);
      changes.push(...kept.map(({ at, value: { status } }) => ({ popId, resource, at, status })));
    }
    if (differs) {
      rewritten.push({ popId, since });
      stored.push(...changes);
    }
  }
  await replaceAnnouncedStatuses(tx, rewritten, stored);
  return outputs;
}

type ViolationValue = { open: boolean; reason: string };
const sameViolation: Same<ViolationValue> = (a, b) => a.open === b.open;
const CLOSED: ViolationValue = { open: false, reason: '' };

async function residencyChanges(tx: SqlQueryable, events: RecordedEvent[]): Promise<Output[]> {
  const pairs = new Map<string, { workloadId: string; popId: string; source: RecordedEvent }>();
  const policies = new Map<string, RecordedEvent>();
  for (const event of events) {
    if (event.type === 'WorkloadPlaced' || event.type === 'WorkloadWithdrawn') {
      const { workloadId, popId } = event.data as { workloadId: string; popId: string };
      pairs.set(`${workloadId}\u0000${popId}`, { workloadId, popId, source: event });
    } else if (event.type === 'ResidencyPolicyDefined' || event.type === 'ResidencyPolicyRetired') {
      policies.set(event.data.policyId as string, event);
    }
  }
  if (pairs.size === 0 && policies.size === 0) return [];
  const subjects = await loadViolationSubjects(tx, { pairs: [...pairs.values()], policyIds: [...policies.keys()] });
  const placementKeys = subjects.placements.map((placement) => placement.placementKey);
  const announced = await readAnnouncedViolations(tx, placementKeys);
  const outputs: Output[] = [];
  const stored: Array<{ placementKey: string; category: string; policyId: string; changes: ViolationChange[] }> = [];
  let differs = false;
  for (const placement of subjects.placements) {
    const pairSource = pairs.get(`${placement.workloadId}\u0000${placement.popId}`)?.source;
    for (const category of placement.dataCategories) {
      for (const policy of subjects.policies) {
        const key = violationKey(placement.placementKey, category, policy.policyId);
        const previousChanges = announced.get(key) ?? [];
        const nextChanges = violationTimeline(placement, category, policy);
        if (previousChanges.length === 0 && nextChanges.length === 0) continue;
        const policySource = policies.get(policy.policyId);
        const source = [pairSource, policySource].filter((e): e is RecordedEvent => e !== undefined).sort((a, b) => (a.position < b.position ? 1 : -1))[0];
        const timeline = (changes: ViolationChange[]): Timeline<ViolationValue> => ({ before: CLOSED, changes: changes.map(({ at, open, reason }) => ({ at, value: { open, reason } })) });
        if (source) {
          for (const { at, to } of announcements(timeline(previousChanges), timeline(nextChanges), sameViolation)) {
            const data = {
              workloadId: placement.workloadId,
              tenant: placement.tenant,
              dataCategory: category,
              popId: placement.popId,
              popCode: placement.popCode,
              countryCode: placement.countryCode,
              role: placement.role,
              policyId: policy.policyId,
              reason: to.reason,
              effectiveAt: at,
            };
            outputs.push({ position: source.position, rank: 2, at, event: residencyViolationChanged(sourceOf(source), to.open, placement.placementKey, data) });
          }
        }
        differs ||= !sameChanges(previousChanges, nextChanges);
        stored.push({ placementKey: placement.placementKey, category, policyId: policy.policyId, changes: nextChanges });
      }
    }
  }
  if (differs) await replaceAnnouncedViolations(tx, placementKeys, stored);
  return outputs;
}

function sameChanges(a: readonly ViolationChange[], b: readonly ViolationChange[]): boolean {
  return a.length === b.length && a.every((change, i) => change.at === b[i].at && change.open === b[i].open && change.reason === b[i].reason);
}
