import { inventoryMigrations } from '../inventory';
import { outboundMigrations } from '../outbound';
import { residencyMigrations } from '../residency';
import { apiKeyMigrations } from '../platform/api/auth/api-key.migrations';
import { AppConfig } from '../platform/config/app.config';
import { Migration } from '../platform/database/migrations.runner';
import { postgresEventStoreMigrations } from '../platform/event-store/postgres-event-store.migrations';

/** Every schema change of the read store, in id order; the events schema only when events live here. */
export function allMigrations(config: AppConfig): Migration[] {
  return [
    ...(config.EVENT_STORE === 'postgres' ? postgresEventStoreMigrations : []),
    ...apiKeyMigrations,
    ...outboundMigrations,
    ...inventoryMigrations,
    ...residencyMigrations,
  ].sort((a, b) => a.id.localeCompare(b.id));
}
