import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { ApiKeyService } from '../../platform/api/auth/api-key.service';
import { SQL_CLIENT, SqlClient } from '../../platform/database/sql-client.port';
import { ApiKeyNode } from '../api-key.graphql';
import { ApiKeyRole } from '../domain/api-key.enums';

/** Every key: those of API_KEYS and the stored ones (revoked included), by name, then source. */
export class ListApiKeysQuery extends Query<ApiKeyNode[]> {}

interface ApiKeyRow {
  name: string;
  role: ApiKeyRole;
  created_at: Date | string;
  expires_at: Date | string | null;
  revoked_at: Date | string | null;
}

@QueryHandler(ListApiKeysQuery)
export class ListApiKeysHandler implements IQueryHandler<ListApiKeysQuery> {
  constructor(
    @Inject(SQL_CLIENT) private readonly sql: SqlClient,
    private readonly keys: ApiKeyService,
  ) {}

  async execute(): Promise<ApiKeyNode[]> {
    const [{ rows }, lastUsed] = await Promise.all([
      this.sql.query<ApiKeyRow>('SELECT name, role, created_at, expires_at, revoked_at FROM rm_api_key'),
      this.keys.lastUsed(),
    ]);
    const environment: ApiKeyNode[] = this.keys.environmentKeys().map(({ name, role }) => ({
      name, role, source: 'ENVIRONMENT', createdAt: null, expiresAt: null, lastUsedAt: lastUsed.get(name) ?? null, revokedAt: null,
    }));
    const stored: ApiKeyNode[] = rows.map((r) => ({
      name: r.name,
      role: r.role,
      source: 'STORED',
      createdAt: iso(r.created_at),
      expiresAt: r.expires_at === null ? null : iso(r.expires_at),
      lastUsedAt: lastUsed.get(r.name) ?? null,
      revokedAt: r.revoked_at === null ? null : iso(r.revoked_at),
    }));
    return [...environment, ...stored].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.source < b.source ? -1 : 1));
  }
}

function iso(value: Date | string): string {
  return new Date(value).toISOString();
}
