import { apiKeyMigrations } from '../auth/api-key.migrations';
import { AppConfig } from '../config/app-config';
import { postgresEventStoreMigrations } from '../event-store/postgres-event-store.migrations';
import { Migration } from './migrations';

/** Every schema change of the read store, in id order; the events schema only when events live here. */
export function allMigrations(config: AppConfig): Migration[] {
  return [
    ...(config.EVENT_STORE === 'postgres' ? postgresEventStoreMigrations : []),
    ...apiKeyMigrations,
  ].sort((a, b) => a.id.localeCompare(b.id));
}
