import { Migration } from '../../database/migrations.runner';

export const apiKeyMigrations: Migration[] = [
  {
    id: '0100-api-keys',
    sql: `CREATE TABLE IF NOT EXISTS api_keys (
      name text PRIMARY KEY,
      role text NOT NULL,
      secret_hash bytea NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )`,
  },
];
