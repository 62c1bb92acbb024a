import { SqlQueryable } from '../../platform/database/sql-client.port';
import { RecordedEvent } from '../../platform/event-store/event-store.port';
import { Projection, TableNames } from '../../platform/projections/projection.port';
import { ApiKeyCreated, ApiKeyEvent, ApiKeyRevoked } from '../domain/api-key.events';

/** One row per stored key, revoked ones included, with who created and revoked it (the events' actors). */
export const apiKeysProjection: Projection = {
  name: 'api-keys',
  eventTypes: ['ApiKeyCreated', 'ApiKeyRevoked'] satisfies ApiKeyEvent['type'][],
  tables: ['rm_api_key'],

  createTables: (t) => `
    CREATE TABLE ${t('rm_api_key')} (
      name text PRIMARY KEY,
      role text NOT NULL,
      created_at timestamptz NOT NULL,
      created_by text NOT NULL,
      expires_at timestamptz,
      revoked_at timestamptz,
      revoked_by text
    )`,

  async handle(tx: SqlQueryable, events: RecordedEvent[], t: TableNames): Promise<void> {
    // Keys are created and revoked one at a time by admins: a statement per event is plenty.
    for (const event of events) {
      if (event.type === 'ApiKeyCreated') {
        const { name, role, expiresAt } = event.data as unknown as ApiKeyCreated['data'];
        await tx.query(
          `INSERT INTO ${t('rm_api_key')} (name, role, created_at, created_by, expires_at) VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (name) DO NOTHING`,
          [name, role, event.metadata.effectiveAt, event.metadata.actor, expiresAt],
        );
      } else {
        const { name } = event.data as unknown as ApiKeyRevoked['data'];
        await tx.query(`UPDATE ${t('rm_api_key')} SET revoked_at = $2, revoked_by = $3 WHERE name = $1`, [name, event.metadata.effectiveAt, event.metadata.actor]);
      }
    }
  },
};
