import { Migration } from '../../database/migrations.runner';

/**
 * `api_keys`: the SHA-256 hash of every stored key's secret (the first-start admin key and the keys
 * created through the API; their lifecycle is the API key directory's). `api_key_usage`: when each key,
 * from either source, was last used, written at most once a second per instance.
 */
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
  {
    id: '0101-api-key-usage',
    sql: `CREATE TABLE IF NOT EXISTS api_key_usage (
      name text PRIMARY KEY,
      last_used_at timestamptz NOT NULL
    )`,
  },
];
