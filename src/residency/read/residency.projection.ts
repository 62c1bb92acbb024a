import { SqlQueryable } from '../../platform/database/sql-client.port';
import { RecordedEvent } from '../../platform/event-store/event-store.port';
import { Projection, TableNames } from '../../platform/projections/projection.port';
import type { EvidenceRef } from '../domain/residency.types';

const HANDLED = [
  'WorkloadRegistered',
  'WorkloadPlaced',
  'WorkloadWithdrawn',
  'PopRegistered',
  'ResidencyPolicyDefined',
  'ResidencyPolicyRetired',
] as const;
type Batch = Record<(typeof HANDLED)[number], RecordedEvent[]>;

/**
 * The residency read model (docs/domain.md, "Residency model"): what the evaluation needs, each fact with the event
 * that established it (its evidence).
 *
 * - rm_res_workload / rm_res_pop: a workload's tenant and data categories, a PoP's code and country
 *   (each registered once per id).
 * - rm_res_placement: one row per WorkloadPlaced, present on [placed_at, withdrawn_at).
 * - rm_res_policy: a policy (defined once per id) in force on [effective_from, retired_at).
 *
 * Besides its evidence (json), a workload, PoP and placement row keeps its event's id in a text column
 * (and a placement its effectiveAt as recorded): the CSV shows only these, and reads them without
 * parsing JSON per row (`->>` would have the server parse it per row instead).
 *
 * The workload decider places a workload at a PoP only after its earlier stays there ended, and withdraws
 * only the last stay; so a WorkloadWithdrawn ends the placement of its (workload, PoP) recorded last
 * before it in the log, whatever the effective times.
 */
export const residencyProjection: Projection = {
  name: 'residency',
  eventTypes: HANDLED,
  tables: ['rm_res_workload', 'rm_res_pop', 'rm_res_placement', 'rm_res_policy'],

  createTables: (t) => `
    CREATE TABLE ${t('rm_res_workload')} (
      workload_id text PRIMARY KEY,
      tenant text NOT NULL,
      data_categories jsonb NOT NULL,
      evidence json NOT NULL,
      event_id text NOT NULL
    );
    CREATE TABLE ${t('rm_res_pop')} (
      pop_id text PRIMARY KEY,
      code text NOT NULL,
      country_code text NOT NULL,
      evidence json NOT NULL,
      event_id text NOT NULL
    );
    CREATE TABLE ${t('rm_res_placement')} (
      workload_id text NOT NULL,
      pop_id text NOT NULL,
      placed_at timestamptz NOT NULL,
      position text COLLATE "C" NOT NULL,
      role text NOT NULL,
      withdrawn_at timestamptz,
      evidence json NOT NULL,
      event_id text NOT NULL,
      effective_at text NOT NULL,
      PRIMARY KEY (workload_id, pop_id, position)
    );
    CREATE TABLE ${t('rm_res_policy')} (
      policy_id text PRIMARY KEY,
      name text NOT NULL,
      kind text NOT NULL,
      data_category text NOT NULL,
      tenant text,
      allowed_countries jsonb NOT NULL,
      allowed_groups jsonb NOT NULL,
      denied_countries jsonb NOT NULL,
      citation text,
      effective_from timestamptz NOT NULL,
      retired_at timestamptz,
      evidence json NOT NULL
    )`,

  // The streamed CSV pages through placements in code-unit order of (workload, PoP), whatever the database's collation.
  createIndexes: (t) => `CREATE INDEX ${t('rm_res_placement')}_key_c ON ${t('rm_res_placement')} (workload_id COLLATE "C", pop_id COLLATE "C")`,

  async handle(tx: SqlQueryable, events: RecordedEvent[], t: TableNames): Promise<void> {
    const batch = groupByType(events);
    await writeWorkloads(tx, t, batch.WorkloadRegistered);
    await writePops(tx, t, batch.PopRegistered);
    await writePlacements(tx, t, batch.WorkloadPlaced, batch.WorkloadWithdrawn);
    await writePolicies(tx, t, batch.ResidencyPolicyDefined, batch.ResidencyPolicyRetired);
  },
};


/** The batch's events by type, in log order per type. */
function groupByType(events: RecordedEvent[]): Batch {
  const batch = Object.fromEntries(HANDLED.map((type) => [type, []])) as unknown as Batch;
  for (const event of events) {
    batch[event.type as keyof Batch].push(event);
  }
  return batch;
}

/** The evidence of a fact, as JSON text (a json column: stored and read back as is). */
function evidenceOf(event: RecordedEvent): string {
  const evidence: EvidenceRef = {
    eventId: event.eventId,
    type: event.type,
    streamId: event.streamId,
    effectiveAt: event.metadata.effectiveAt,
    recordedAt: event.recordedAt,
    actor: event.metadata.actor,
  };
  return JSON.stringify(evidence);
}

const text = (event: RecordedEvent, field: string) => event.data[field] as string;
const nullableText = (event: RecordedEvent, field: string) => (event.data[field] as string | null | undefined) ?? null;
/** Lists go to jsonb columns: arrays of arrays cannot travel as a text[][] unless rectangular. */
const list = (event: RecordedEvent, field: string) => JSON.stringify((event.data[field] as string[] | null | undefined) ?? []);
const effectiveAt = (event: RecordedEvent) => event.metadata.effectiveAt;

type Column = [name: string, type: string, value: (event: RecordedEvent) => unknown];

/** One multi-row insert of `events`, one array per column. */
async function insert(tx: SqlQueryable, table: string, events: RecordedEvent[], columns: Column[]): Promise<void> {
  if (events.length === 0) return;
  await tx.insertColumns(
    table,
    Object.fromEntries(columns.map(([name, type]) => [name, type])),
    columns.map(([, , value]) => events.map(value)),
  );
}

const EVIDENCE: Column = ['evidence', 'json', evidenceOf];
const EVENT_ID: Column = ['event_id', 'text', (e) => e.eventId];
const field = (name: string, source: string): Column => [name, 'text', (e) => text(e, source)];

async function writeWorkloads(tx: SqlQueryable, t: TableNames, registered: RecordedEvent[]): Promise<void> {
  await insert(tx, t('rm_res_workload'), registered, [
    field('workload_id', 'workloadId'),
    field('tenant', 'tenant'),
    ['data_categories', 'jsonb', (e) => list(e, 'dataCategories')],
    EVIDENCE,
    EVENT_ID,
  ]);
}

async function writePops(tx: SqlQueryable, t: TableNames, registered: RecordedEvent[]): Promise<void> {
  await insert(tx, t('rm_res_pop'), registered, [field('pop_id', 'popId'), field('code', 'code'), field('country_code', 'countryCode'), EVIDENCE, EVENT_ID]);
}

async function writePlacements(tx: SqlQueryable, t: TableNames, placed: RecordedEvent[], withdrawn: RecordedEvent[]): Promise<void> {
  await insert(tx, t('rm_res_placement'), placed, [
    field('workload_id', 'workloadId'),
    field('pop_id', 'popId'),
    ['placed_at', 'timestamptz', effectiveAt],
    ['position', 'text', (e) => e.position],
    field('role', 'role'),
    EVIDENCE,
    EVENT_ID,
    ['effective_at', 'text', effectiveAt],
  ]);
  if (withdrawn.length === 0) return;
  // After the inserts, so that a withdrawal finds a placement of the same batch; the primary key (there
  // from the start, also during a rebuild) finds it in one index probe.
  await tx.query(
    `UPDATE ${t('rm_res_placement')} p SET withdrawn_at = w.withdrawn_at
       FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::text[]) AS w(workload_id, pop_id, withdrawn_at, position),
            LATERAL (SELECT s.position FROM ${t('rm_res_placement')} s
                      WHERE s.workload_id = w.workload_id AND s.pop_id = w.pop_id AND s.position < w.position
                      ORDER BY s.position DESC LIMIT 1) ended
      WHERE p.workload_id = w.workload_id AND p.pop_id = w.pop_id AND p.position = ended.position`,
    [
      withdrawn.map((e) => text(e, 'workloadId')),
      withdrawn.map((e) => text(e, 'popId')),
      withdrawn.map(effectiveAt),
      withdrawn.map((e) => e.position),
    ],
  );
}

async function writePolicies(tx: SqlQueryable, t: TableNames, defined: RecordedEvent[], retired: RecordedEvent[]): Promise<void> {
  await insert(tx, t('rm_res_policy'), defined, [
    field('policy_id', 'policyId'),
    field('name', 'name'),
    field('kind', 'kind'),
    field('data_category', 'dataCategory'),
    ['tenant', 'text', (e) => nullableText(e, 'tenant')],
    ['allowed_countries', 'jsonb', (e) => list(e, 'allowedCountries')],
    ['allowed_groups', 'jsonb', (e) => list(e, 'allowedGroups')],
    ['denied_countries', 'jsonb', (e) => list(e, 'deniedCountries')],
    ['citation', 'text', (e) => nullableText(e, 'citation')],
    ['effective_from', 'timestamptz', effectiveAt],
    EVIDENCE,
  ]);
  if (retired.length === 0) return;
  await tx.query(
    `UPDATE ${t('rm_res_policy')} p SET retired_at = r.retired_at
       FROM unnest($1::text[], $2::timestamptz[]) AS r(policy_id, retired_at) WHERE p.policy_id = r.policy_id`,
    [retired.map((e) => text(e, 'policyId')), retired.map(effectiveAt)],
  );
}
