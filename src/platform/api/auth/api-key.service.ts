import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../config/app.config';
import { SQL_CLIENT, SqlClient } from '../../database/sql-client.port';
import { ApiKey, findKey, generateSecret, hashSecret } from './api-key.util';
import { Principal, Role } from './roles.types';

/**
 * Resolves bearer secrets to principals. Keys come from API_KEYS, or else from the data store,
 * where the first start creates one admin key, stores only its hash and prints it once.
 */
@Injectable()
export class ApiKeyService {
  private keys: ApiKey[] = [];

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(SQL_CLIENT) private readonly sql: SqlClient,
  ) {}

  async load(print: (line: string) => void): Promise<void> {
    if (this.config.apiKeys) {
      this.keys = this.config.apiKeys;
      return;
    }
    const secret = generateSecret();
    // ON CONFLICT: two instances starting at once create one admin key, and only the winner prints it.
    const inserted = await this.sql.query(
      `INSERT INTO api_keys (name, role, secret_hash)
       SELECT 'admin', 'admin', $1 WHERE NOT EXISTS (SELECT 1 FROM api_keys)
       ON CONFLICT (name) DO NOTHING RETURNING name`,
      [hashSecret(secret)],
    );
    if (inserted.rowCount > 0) {
      print(`First start: created API key "admin" (role admin). Use it as "Authorization: Bearer ${secret}". It is shown only this once.`);
    }
    const { rows } = await this.sql.query<{ name: string; role: Role; secret_hash: Uint8Array }>(
      'SELECT name, role, secret_hash FROM api_keys ORDER BY name',
    );
    this.keys = rows.map((r) => ({ name: r.name, role: r.role, secretHash: Buffer.from(r.secret_hash) }));
  }

  /** Principal for an `Authorization` header value, or undefined when missing or wrong. */
  authenticate(authorization: string | undefined): Principal | undefined {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    if (!match) return undefined;
    const key = findKey(this.keys, match[1]);
    return key && { name: key.name, role: key.role };
  }
}
