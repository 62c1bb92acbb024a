import { BeforeApplicationShutdown, Inject, Injectable, Optional } from '@nestjs/common';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { APP_CONFIG, AppConfig } from '../../config/app.config';
import { SQL_CLIENT, SqlClient } from '../../database/sql-client.port';
import { LOGGER } from '../../observability/logger.util';
import { MetricsService } from '../../observability/metrics.service';
import { API_KEY_DIRECTORY, ApiKeyDirectory, PlatformStoredKey } from './api-key-directory.port';
import { ApiKey, findKeyByHash, generateSecret, hashSecret } from './api-key.util';
import { Principal, Role } from './roles.types';

/** A stored key that may authenticate: its hash and, when it has one, its expiry. */
interface ActiveKey extends ApiKey {
  expiresAtMs: number | null;
}

/** How often the stored keys are read again: a revocation elsewhere counts here within a second. */
export const KEY_REFRESH_MS = 250;
/** How often key use (lastUsedAt) is written: at most once a second per key, whatever the traffic. */
export const USAGE_FLUSH_MS = 1000;
/** The file the first-start admin key is also written to, in DATA_DIR (mode 0600). */
export const FIRST_KEY_FILE = 'admin-key.txt';

/**
 * Resolves bearer secrets to principals. Keys come from two sources: API_KEYS (the environment), and
 * the store, where only the SHA-256 hash of each secret is kept (table `api_keys`). Without API_KEYS the
 * first start creates one admin key, prints it once and writes it to DATA_DIR/admin-key.txt (mode 0600).
 * Which stored keys exist, expire or are revoked is the ApiKeyDirectory's (a feature, bound by the
 * composition root); this service reads it every KEY_REFRESH_MS, so a revocation on any instance is
 * refused here within a second. Use is counted per key and written at most once a second.
 */
@Injectable()
export class ApiKeyService implements BeforeApplicationShutdown {
  private environment: ApiKey[] = [];
  private stored: ActiveKey[] = [];
  /** Hashes of stored keys by name; a stored key's hash never changes once written. */
  private readonly hashes = new Map<string, Buffer>();
  /** Key name -> last use (epoch ms) not yet written. */
  private readonly pendingUse = new Map<string, number>();
  private refreshTimer?: NodeJS.Timeout;
  private flushTimer?: NodeJS.Timeout;
  private refreshing?: Promise<void>;
  private nextRefresh?: Promise<void>;
  private refreshFailing = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(SQL_CLIENT) private readonly sql: SqlClient,
    private readonly metrics: MetricsService,
    @Optional() @Inject(LOGGER) private readonly logger?: Logger,
    @Optional() @Inject(API_KEY_DIRECTORY) private readonly directory?: ApiKeyDirectory,
  ) {}

  async load(print: (line: string) => void): Promise<void> {
    this.environment = this.config.apiKeys ?? [];
    if (!this.config.apiKeys) {
      await this.createFirstKey(print);
      // The first-start key (or one an earlier version created) becomes a stored key like the others.
      const { rows } = await this.sql.query<{ name: string; role: Role; created_at: Date | string }>('SELECT name, role, created_at FROM api_keys ORDER BY name');
      const own: PlatformStoredKey[] = rows.map((r) => ({ name: r.name, role: r.role, createdAt: new Date(r.created_at).toISOString() }));
      await this.directory?.adopt(own);
    }
    await this.refresh();
    const clashes = this.stored.filter((k) => this.environment.some((e) => e.name === k.name)).map((k) => k.name);
    if (clashes.length > 0) this.logger?.warn({ names: clashes }, 'API key names both in API_KEYS and stored: revoke the stored ones or rename the API_KEYS entries');
    this.refreshTimer = setInterval(() => void this.refresh().catch(() => undefined), KEY_REFRESH_MS);
    this.refreshTimer.unref();
    this.flushTimer = setInterval(() => void this.flushUse(), USAGE_FLUSH_MS);
    this.flushTimer.unref();
  }

  /** Principal for an `Authorization` header value, or undefined when missing, wrong, expired or revoked. */
  authenticate(authorization: string | undefined): Principal | undefined {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    if (!match) return undefined;
    const presented = hashSecret(match[1]);
    // Every key of both sources is compared, each in constant time: timing says nothing about which matched.
    const fromEnvironment = findKeyByHash(this.environment, presented);
    const stored = findKeyByHash(this.stored, presented);
    const now = Date.now();
    const found = fromEnvironment ?? (stored && (stored.expiresAtMs === null || now < stored.expiresAtMs) ? stored : undefined);
    if (!found) return undefined;
    this.metrics.apiKeyRequests.inc({ key: found.name });
    this.pendingUse.set(found.name, now);
    return { name: found.name, role: found.role };
  }

  /** The keys of API_KEYS (names and roles only). */
  environmentKeys(): Array<{ name: string; role: Role }> {
    return this.environment.map(({ name, role }) => ({ name, role }));
  }

  /** Whether the platform holds a hash under this name: a stored key, or a first-start key not taken over yet. */
  async hasStoredHash(name: string): Promise<boolean> {
    const { rowCount } = await this.sql.query('SELECT 1 FROM api_keys WHERE name = $1', [name]);
    return rowCount > 0;
  }

  /**
   * Keeps the hash of a new stored key's secret (never the secret). Called once the key's creation is
   * recorded, so only the one creator of a name ever writes its hash.
   */
  async storeHash(name: string, role: Role, secretHash: Buffer): Promise<void> {
    await this.sql.query(
      `INSERT INTO api_keys (name, role, secret_hash) VALUES ($1, $2, $3)
       ON CONFLICT (name) DO UPDATE SET role = EXCLUDED.role, secret_hash = EXCLUDED.secret_hash, created_at = now()`,
      [name, role, secretHash],
    );
    this.hashes.set(name, secretHash);
  }

  /** When each key was last used (ISO 8601), as written by every instance plus this one's unwritten uses. */
  async lastUsed(): Promise<Map<string, string>> {
    const { rows } = await this.sql.query<{ name: string; last_used_at: Date | string }>('SELECT name, last_used_at FROM api_key_usage');
    const latest = new Map<string, number>(rows.map((r) => [r.name, new Date(r.last_used_at).getTime()]));
    for (const [name, at] of this.pendingUse) latest.set(name, Math.max(at, latest.get(name) ?? 0));
    return new Map([...latest].map(([name, at]) => [name, new Date(at).toISOString()]));
  }

  /**
   * Reads the stored keys again (also every KEY_REFRESH_MS). The read it waits for starts after the call:
   * while one is running, callers share one more that follows it.
   */
  refresh(): Promise<void> {
    if (this.refreshing) {
      this.nextRefresh ??= this.refreshing.catch(() => undefined).then(() => {
        this.nextRefresh = undefined;
        return this.refresh();
      });
      return this.nextRefresh;
    }
    this.refreshing = this.readStoredKeys().finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.refreshTimer);
    clearInterval(this.flushTimer);
    await this.nextRefresh?.catch(() => undefined);
    await this.refreshing?.catch(() => undefined);
    await this.flushUse();
  }

  private async readStoredKeys(): Promise<void> {
    try {
      if (!this.directory) {
        // No directory bound: the stored keys are the platform's own (first-start) keys, without expiry.
        if (this.config.apiKeys) return;
        const { rows } = await this.sql.query<{ name: string; role: Role; secret_hash: Uint8Array }>('SELECT name, role, secret_hash FROM api_keys ORDER BY name');
        this.stored = rows.map((r) => ({ name: r.name, role: r.role, secretHash: Buffer.from(r.secret_hash), expiresAtMs: null }));
        return;
      }
      const live = (await this.directory.keys()).filter((k) => k.revokedAt === null);
      const missing = live.filter((k) => !this.hashes.has(k.name)).map((k) => k.name);
      if (missing.length > 0) {
        const { rows } = await this.sql.query<{ name: string; secret_hash: Uint8Array }>('SELECT name, secret_hash FROM api_keys WHERE name = ANY($1::text[])', [missing]);
        for (const row of rows) this.hashes.set(row.name, Buffer.from(row.secret_hash));
      }
      const names = new Set(live.map((k) => k.name));
      for (const name of this.hashes.keys()) if (!names.has(name)) this.hashes.delete(name);
      this.stored = live.flatMap((k) => {
        const secretHash = this.hashes.get(k.name);
        return secretHash ? [{ name: k.name, role: k.role, secretHash, expiresAtMs: k.expiresAt === null ? null : Date.parse(k.expiresAt) }] : [];
      });
      if (this.refreshFailing) this.logger?.info('stored API keys readable again');
      this.refreshFailing = false;
    } catch (error) {
      if (!this.refreshFailing) this.logger?.warn({ err: error }, 'could not read the stored API keys; keeping the last known ones');
      this.refreshFailing = true;
      throw error;
    }
  }

  /** One statement for all keys used since the last flush; a failed write is retried with the next one. */
  private async flushUse(): Promise<void> {
    if (this.pendingUse.size === 0) return;
    const batch = [...this.pendingUse];
    this.pendingUse.clear();
    try {
      await this.sql.query(
        `INSERT INTO api_key_usage (name, last_used_at)
         SELECT * FROM unnest($1::text[], $2::timestamptz[])
         ON CONFLICT (name) DO UPDATE SET last_used_at = GREATEST(api_key_usage.last_used_at, EXCLUDED.last_used_at)`,
        [batch.map(([name]) => name), batch.map(([, at]) => new Date(at).toISOString())],
      );
    } catch (error) {
      for (const [name, at] of batch) this.pendingUse.set(name, Math.max(at, this.pendingUse.get(name) ?? 0));
      this.logger?.warn({ err: error }, 'could not record API key use; retrying');
    }
  }

  /** Without API_KEYS and with no key stored yet: one admin key, printed once and saved in DATA_DIR. */
  private async createFirstKey(print: (line: string) => void): Promise<void> {
    const secret = generateSecret();
    // ON CONFLICT: two instances starting at once create one admin key, and only the winner prints it.
    const inserted = await this.sql.query(
      `INSERT INTO api_keys (name, role, secret_hash)
       SELECT 'admin', 'admin', $1 WHERE NOT EXISTS (SELECT 1 FROM api_keys)
       ON CONFLICT (name) DO NOTHING RETURNING name`,
      [hashSecret(secret)],
    );
    if (inserted.rowCount === 0) return;
    const file = await this.writeFirstKeyFile(secret);
    const where = file ? ` It is also saved in ${file} (readable by this user only).` : '';
    print(`First start: created API key "admin" (role admin). Use it as "Authorization: Bearer ${secret}". It is shown only this once.${where}`);
  }

  /** DATA_DIR/admin-key.txt, mode 0600, so a service started in the background keeps its key; none in memory. */
  private async writeFirstKeyFile(secret: string): Promise<string | undefined> {
    if (this.config.DATA_DIR.startsWith('memory://')) return undefined;
    const file = join(this.config.DATA_DIR, FIRST_KEY_FILE);
    try {
      await mkdir(this.config.DATA_DIR, { recursive: true, mode: 0o700 });
      await writeFile(file, `${secret}\n`, { mode: 0o600 });
      await chmod(file, 0o600); // `mode` applies only when the file is created
      return file;
    } catch (error) {
      this.logger?.warn({ err: error, file }, 'could not save the first-start API key to a file; it is printed only');
      return undefined;
    }
  }
}
