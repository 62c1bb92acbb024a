import { Migration } from '../../platform/database/migrations.runner';
import { rebuildTables } from '../../platform/projections/projection.port';
import { POP_STEP_TABLE, RACK_STEP_TABLE } from './capacity-steps.table';
import { INVENTORY_TABLES as T } from './inventory.projection';

/**
 * Changes to the inventory read model's tables that existing rows cannot be given in SQL: the tables are
 * dropped, so the projection engine finds `planning_inventory` incomplete at start-up, creates its tables
 * afresh and replays the log into them (docs/operations.md, "Upgrading"). A fresh database has no such
 * tables yet, so these do nothing there.
 */
export const inventoryMigrations: Migration[] = [
  {
    // Rack elevations need each rack's name and each device's name, role and position, which the
    // events always carried but the first tables did not keep.
    id: '0400-inventory-rack-elevation',
    sql: `DROP TABLE IF EXISTS ${T.rack}, ${T.device}`,
  },
  {
    // The step tables became views over points and their blocks' bases (a back-dated delta no longer
    // rewrites every later point). A scratch copy left by an interrupted rebuild goes too: its name is now a view's.
    id: '0401-inventory-step-blocks',
    sql: `DROP TABLE IF EXISTS ${[POP_STEP_TABLE, RACK_STEP_TABLE].flatMap((table) => [table, rebuildTables(table)]).join(', ')}`,
  },
  {
    // Blocks keep the least and greatest value of each metric over their points (readers skip blocks that
    // cannot matter to them); dropping the tables drops the views on them.
    id: '0402-inventory-step-block-ranges',
    sql: `DROP TABLE IF EXISTS ${[POP_STEP_TABLE, RACK_STEP_TABLE]
      .flatMap((table) => [`${table}_points`, `${table}_blocks`])
      .flatMap((table) => [table, rebuildTables(table)])
      .join(', ')} CASCADE`,
  },
];
