import { Migration } from '../../platform/database/migrations.runner';
import { rebuildTables } from '../../platform/projections/projection.port';
import { residencyProjection } from './residency.projection';

/**
 * Changes to the residency read model's tables: they are dropped, so the projection engine finds
 * `residency` incomplete at start-up, creates its tables afresh and replays the log into them
 * (docs/operations.md, "Upgrading"). A fresh database has no such tables yet, so these do nothing there.
 */
export const residencyMigrations: Migration[] = [
  {
    // Workload, PoP and placement rows keep their event's id (and a placement its effectiveAt) in text
    // columns, which the streamed CSV reads instead of parsing each row's evidence JSON.
    id: '0500-residency-event-ids',
    sql: `DROP TABLE IF EXISTS ${residencyProjection.tables.flatMap((table) => [table, rebuildTables(table)]).join(', ')}`,
  },
];
