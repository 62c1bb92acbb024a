import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { encodeCursor } from '../../platform/api/relay.types';
import { SQL_CLIENT, SqlClient } from '../../platform/database/sql-client.port';
import { ScenarioStatus } from '../domain/scenario.enums';
import { Scenario, ScenarioConnection } from './scenario.types';

/** A Relay page of scenarios ordered by scenarioId (code-point order), optionally of some statuses only. */
export class ListScenariosQuery extends Query<ScenarioConnection> {
  constructor(
    /** Null or empty: every status. */
    readonly statuses: readonly ScenarioStatus[] | null,
    readonly first: number,
    /** The scenarioId the page starts after. */
    readonly after: string | null,
    /** The instant the nodes' impact is computed at. */
    readonly asOf: string,
  ) {
    super();
  }
}

interface ScenarioRow {
  total: number;
  scenario_id: string | null;
  name: string;
  description: string | null;
  status: ScenarioStatus;
  created_by: string;
  created_at: Date | string;
  step_count: number;
}

@QueryHandler(ListScenariosQuery)
export class ListScenariosHandler implements IQueryHandler<ListScenariosQuery> {
  constructor(@Inject(SQL_CLIENT) private readonly sql: SqlClient) {}

  async execute({ statuses, first, after, asOf }: ListScenariosQuery): Promise<ScenarioConnection> {
    const filter = statuses && statuses.length > 0 ? 'status = ANY($1::text[])' : '$1::text[] IS NULL';
    const { rows } = await this.sql.query<ScenarioRow>(
      `SELECT c.total, x.*
         FROM (SELECT count(*)::int AS total FROM rm_scenario WHERE ${filter}) c
         LEFT JOIN LATERAL (
           SELECT scenario_id, name, description, status, created_by, created_at, step_count FROM rm_scenario
            WHERE ${filter} AND ($2::text IS NULL OR scenario_id > $2::text) ORDER BY scenario_id LIMIT $3::int
         ) x ON true
        ORDER BY x.scenario_id`,
      [statuses && statuses.length > 0 ? statuses : null, after, first + 1],
    );
    const found = rows.filter((row): row is ScenarioRow & { scenario_id: string } => row.scenario_id !== null);
    const edges = found.slice(0, first).map((row) => ({ cursor: encodeCursor(row.scenario_id), node: toScenario(row, asOf) }));
    const endCursor = edges.length > 0 ? edges[edges.length - 1].cursor : after !== null ? encodeCursor(after) : null;
    return { edges, pageInfo: { hasNextPage: found.length > first, endCursor }, totalCount: rows[0].total };
  }
}

function toScenario(row: ScenarioRow & { scenario_id: string }, asOf: string): Scenario {
  const createdAt = row.created_at instanceof Date ? row.created_at.toISOString() : new Date(row.created_at).toISOString();
  return {
    scenarioId: row.scenario_id,
    name: row.name,
    description: row.description,
    status: row.status,
    createdBy: row.created_by,
    createdAt,
    stepCount: row.step_count,
    asOf,
  };
}
