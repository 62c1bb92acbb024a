import { SqlQueryable } from '../../platform/database/sql-client.port';
import { RecordedEvent } from '../../platform/event-store/event-store.port';
import { Projection, TableNames } from '../../platform/projections/projection.port';
import { ScenarioStatus } from '../domain/scenario.enums';
import { SCENARIO_EVENT_TYPES, ScenarioEvent } from '../domain/scenario.events';

/**
 * The scenario list (docs/planning-scenarios.md): one row per scenario with its status and step
 * count, for `scenarios`. A scenario's plan itself is read from its stream (`scenario`), where each
 * evaluation needs it anyway.
 */
export const scenariosProjection: Projection = {
  name: 'scenarios',
  eventTypes: SCENARIO_EVENT_TYPES,
  tables: ['rm_scenario'],
  // Every row belongs to one scenario stream.
  streamsIndependent: true,

  createTables: (t) => `
    CREATE TABLE ${t('rm_scenario')} (
      scenario_id text COLLATE "C" PRIMARY KEY,
      name text NOT NULL,
      description text,
      status text NOT NULL,
      created_by text NOT NULL,
      created_at timestamptz NOT NULL,
      step_count integer NOT NULL
    )`,

  createIndexes: (t) => `
    CREATE INDEX ${t('rm_scenario')}_status ON ${t('rm_scenario')} (status, scenario_id)`,

  async handle(tx: SqlQueryable, events: RecordedEvent[], t: TableNames): Promise<void> {
    const batch = new ScenarioBatch();
    for (const event of events) batch.add({ type: event.type, data: event.data, effectiveAt: event.metadata.effectiveAt } as ScenarioEvent);
    await batch.write(tx, t);
  },
};

interface NewRow {
  scenario_id: string;
  name: string;
  description: string | null;
  status: ScenarioStatus;
  created_by: string;
  created_at: string;
  step_count: number;
}

/** A batch's changes per scenario: rows created in it, and step-count deltas and statuses of the others. */
class ScenarioBatch {
  private readonly created = new Map<string, NewRow>();
  private readonly changed = new Map<string, { delta: number; status: ScenarioStatus | null }>();

  add(event: ScenarioEvent): void {
    const { scenarioId } = event.data;
    switch (event.type) {
      case 'ScenarioCreated': {
        const { name, description, createdBy } = event.data;
        this.created.set(scenarioId, { scenario_id: scenarioId, name, description, status: 'OPEN', created_by: createdBy, created_at: event.effectiveAt, step_count: 0 });
        return;
      }
      case 'ScenarioStepsAdded':
        return this.change(scenarioId, event.data.steps.length, null);
      case 'ScenarioStepRemoved':
        return this.change(scenarioId, -1, null);
      case 'ScenarioDiscarded':
        return this.change(scenarioId, 0, 'DISCARDED');
      case 'ScenarioCommitted':
        return this.change(scenarioId, 0, 'COMMITTED');
    }
  }

  private change(scenarioId: string, delta: number, status: ScenarioStatus | null): void {
    const row = this.created.get(scenarioId);
    if (row) {
      row.step_count += delta;
      row.status = status ?? row.status;
      return;
    }
    const change = this.changed.get(scenarioId) ?? { delta: 0, status: null };
    change.delta += delta;
    change.status = status ?? change.status;
    this.changed.set(scenarioId, change);
  }

  async write(tx: SqlQueryable, t: TableNames): Promise<void> {
    const rows = [...this.created.values()];
    if (rows.length > 0) {
      await tx.query(
        `INSERT INTO ${t('rm_scenario')} (scenario_id, name, description, status, created_by, created_at, step_count)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::int[])`,
        [
          rows.map((r) => r.scenario_id), rows.map((r) => r.name), rows.map((r) => r.description), rows.map((r) => r.status),
          rows.map((r) => r.created_by), rows.map((r) => r.created_at), rows.map((r) => r.step_count),
        ],
      );
    }
    const changes = [...this.changed.entries()];
    if (changes.length > 0) {
      await tx.query(
        `UPDATE ${t('rm_scenario')} s SET step_count = s.step_count + c.delta, status = coalesce(c.status, s.status)
           FROM unnest($1::text[], $2::int[], $3::text[]) AS c(scenario_id, delta, status)
          WHERE s.scenario_id = c.scenario_id`,
        [changes.map(([id]) => id), changes.map(([, c]) => c.delta), changes.map(([, c]) => c.status)],
      );
    }
  }
}
