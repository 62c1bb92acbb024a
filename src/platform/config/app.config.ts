import { plainToInstance } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, MinLength, ValidateIf, validateSync } from 'class-validator';
import { ApiKey, parseApiKeys } from '../api/auth/api-key.util';
import { DEFAULT_MAX_APPEND_BYTES } from '../event-store/event-store.port';

/**
 * The configuration contract (docs/api.md, "Configuration"), read once from the environment and validated at
 * start-up. Each property names its environment variable so an error can name it too.
 */
export class AppConfig {
  @IsInt({ message: 'PORT must be an integer between 1 and 65535' })
  @Min(1, { message: 'PORT must be an integer between 1 and 65535' })
  @Max(65535, { message: 'PORT must be an integer between 1 and 65535' })
  PORT = 3000;

  @IsString()
  @MinLength(1, { message: 'DATA_DIR must not be empty' })
  DATA_DIR = './data';

  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/\S+$/, { message: 'DATABASE_URL must be a postgres:// or postgresql:// URL' })
  DATABASE_URL?: string;

  @IsIn(['postgres', 'esdb'], { message: 'EVENT_STORE must be "postgres" or "esdb"' })
  EVENT_STORE: 'postgres' | 'esdb' = 'postgres';

  /**
   * KurrentDB's schemes (kurrentdb, kurrent, kdb, each also +discover) are synonyms of esdb and
   * esdb+discover with the same syntax after the scheme: the adapter translates them for client 6.2.1,
   * which parses only esdb schemes (esdb-event-store.adapter.ts, toEsdbConnectionString).
   */
  @ValidateIf((c: AppConfig) => c.EVENT_STORE === 'esdb' || c.EVENTSTORE_CONNECTION_STRING !== undefined)
  @Matches(/^(esdb|kurrentdb|kurrent|kdb)(\+discover)?:\/\/\S+$/, {
    message:
      'EVENTSTORE_CONNECTION_STRING must be an esdb://, kurrentdb://, kurrent:// or kdb:// connection string, each also as +discover (required when EVENT_STORE=esdb)',
  })
  EVENTSTORE_CONNECTION_STRING?: string;

  /**
   * The server's MaxAppendSize: appends above it are refused before they are sent (the server would
   * refuse them anyway), and bulk writers split their appends below it. Raise it only with the server's.
   */
  @IsInt({ message: 'EVENTSTORE_MAX_APPEND_BYTES must be an integer from 1 to 16777216' })
  @Min(1, { message: 'EVENTSTORE_MAX_APPEND_BYTES must be an integer from 1 to 16777216' })
  @Max(16_777_216, { message: 'EVENTSTORE_MAX_APPEND_BYTES must be an integer from 1 to 16777216' })
  EVENTSTORE_MAX_APPEND_BYTES = DEFAULT_MAX_APPEND_BYTES;

  @IsOptional()
  @MinLength(16, { message: 'PROCUREMENT_WEBHOOK_SECRET must be at least 16 characters' })
  PROCUREMENT_WEBHOOK_SECRET?: string;

  @IsInt({ message: 'CAPACITY_WARN_PERCENT must be an integer from 1 to 100' })
  @Min(1, { message: 'CAPACITY_WARN_PERCENT must be an integer from 1 to 100' })
  @Max(100, { message: 'CAPACITY_WARN_PERCENT must be an integer from 1 to 100' })
  CAPACITY_WARN_PERCENT = 70;

  @IsInt({ message: 'CAPACITY_CRITICAL_PERCENT must be an integer from 1 to 100' })
  @Min(1, { message: 'CAPACITY_CRITICAL_PERCENT must be an integer from 1 to 100' })
  @Max(100, { message: 'CAPACITY_CRITICAL_PERCENT must be an integer from 1 to 100' })
  CAPACITY_CRITICAL_PERCENT = 80;

  /** Bounded wait of read-your-writes (docs/architecture.md, "How a command travels"). */
  @IsInt({ message: 'READ_YOUR_WRITES_TIMEOUT_MS must be an integer from 0 to 60000' })
  @Min(0, { message: 'READ_YOUR_WRITES_TIMEOUT_MS must be an integer from 0 to 60000' })
  @Max(60000, { message: 'READ_YOUR_WRITES_TIMEOUT_MS must be an integer from 0 to 60000' })
  READ_YOUR_WRITES_TIMEOUT_MS = 5000;

  /** Requests per second per API key (per client address without a valid key); 0 turns the limit off (docs/api.md, "Access"). */
  @IsInt({ message: 'RATE_LIMIT_PER_SECOND must be an integer from 0 (off) to 1000000' })
  @Min(0, { message: 'RATE_LIMIT_PER_SECOND must be an integer from 0 (off) to 1000000' })
  @Max(1_000_000, { message: 'RATE_LIMIT_PER_SECOND must be an integer from 0 (off) to 1000000' })
  RATE_LIMIT_PER_SECOND = 100;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], { message: 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent' })
  LOG_LEVEL = 'info';

  /**
   * OTLP/HTTP collector base URL (docs/operations.md, "Tracing"); spans go to `<url>/v1/traces`. Unset: no
   * tracing SDK is loaded at all.
   */
  @IsOptional()
  @Matches(/^https?:\/\/[^\s/]\S*$/, { message: 'OTEL_EXPORTER_OTLP_ENDPOINT must be an http:// or https:// URL' })
  OTEL_EXPORTER_OTLP_ENDPOINT?: string;
  /** First retry delay of an outbound delivery; it doubles per attempt, at most 1 hour (docs/outbound-events.md). */
  @IsInt({ message: 'OUTBOX_RETRY_BASE_MS must be an integer from 1 to 3600000' })
  @Min(1, { message: 'OUTBOX_RETRY_BASE_MS must be an integer from 1 to 3600000' })
  @Max(3_600_000, { message: 'OUTBOX_RETRY_BASE_MS must be an integer from 1 to 3600000' })
  OUTBOX_RETRY_BASE_MS = 1000;

  /** Attempts of one webhook delivery (the first included) before it is dead-lettered for that subscription. */
  @IsInt({ message: 'OUTBOX_MAX_ATTEMPTS must be an integer from 1 to 100' })
  @Min(1, { message: 'OUTBOX_MAX_ATTEMPTS must be an integer from 1 to 100' })
  @Max(100, { message: 'OUTBOX_MAX_ATTEMPTS must be an integer from 1 to 100' })
  OUTBOX_MAX_ATTEMPTS = 10;

  /** How long one webhook POST may take, connection and answer included. */
  @IsInt({ message: 'OUTBOX_DELIVERY_TIMEOUT_MS must be an integer from 100 to 120000' })
  @Min(100, { message: 'OUTBOX_DELIVERY_TIMEOUT_MS must be an integer from 100 to 120000' })
  @Max(120_000, { message: 'OUTBOX_DELIVERY_TIMEOUT_MS must be an integer from 100 to 120000' })
  OUTBOX_DELIVERY_TIMEOUT_MS = 10_000;

  /** NATS server(s) for JetStream publishing, comma-separated; unset: webhooks only. */
  @IsOptional()
  @Matches(/^(nats|tls):\/\/[^\s,]+(,(nats|tls):\/\/[^\s,]+)*$/, { message: 'NATS_URL must be nats:// or tls:// URLs separated by commas, e.g. nats://127.0.0.1:4222' })
  NATS_URL?: string;

  /** Parsed API_KEYS; undefined means "use the stored, first-start admin key". */
  apiKeys?: ApiKey[];

  /** PostgreSQL schema to work in (tests and benchmarks isolate themselves with it); not from the environment. */
  databaseSchema?: string;

  /**
   * DATA_DIR=memory:// only: the PGlite cluster starts as this dump of an empty one (dumpDataDir) instead of
   * being initialised, which costs seconds of CPU (tests start hundreds of services); not from the environment.
   */
  pgliteInitialData?: Blob;
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

const INTEGER_VARIABLES = [
  'PORT', 'CAPACITY_WARN_PERCENT', 'CAPACITY_CRITICAL_PERCENT', 'READ_YOUR_WRITES_TIMEOUT_MS', 'EVENTSTORE_MAX_APPEND_BYTES',
  'RATE_LIMIT_PER_SECOND', 'OUTBOX_RETRY_BASE_MS', 'OUTBOX_MAX_ATTEMPTS', 'OUTBOX_DELIVERY_TIMEOUT_MS',
] as const;

/** Reads and validates the environment; throws one ConfigError naming the first bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<AppConfig> = {}): AppConfig {
  const raw: Record<string, unknown> = {};
  for (const key of Object.keys(new AppConfig())) {
    const value = env[key];
    if (value === undefined || value === '') continue;
    raw[key] = (INTEGER_VARIABLES as readonly string[]).includes(key) && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
  }
  for (const key of ['DATABASE_URL', 'EVENTSTORE_CONNECTION_STRING', 'PROCUREMENT_WEBHOOK_SECRET', 'OTEL_EXPORTER_OTLP_ENDPOINT', 'NATS_URL'] as const) {
    if (env[key]) raw[key] = env[key];
  }
  const config = Object.assign(plainToInstance(AppConfig, raw), overrides);
  const errors = validateSync(config);
  if (errors.length > 0) {
    const first = errors[0];
    const message = Object.values(first.constraints ?? {})[0] ?? `${first.property} is invalid`;
    throw new ConfigError(`Invalid configuration: ${message} (got ${JSON.stringify(String(first.value))})`);
  }
  if (config.CAPACITY_WARN_PERCENT >= config.CAPACITY_CRITICAL_PERCENT) {
    throw new ConfigError('Invalid configuration: CAPACITY_WARN_PERCENT must be lower than CAPACITY_CRITICAL_PERCENT');
  }
  if (env.API_KEYS !== undefined && env.API_KEYS !== '' && !overrides.apiKeys) {
    try {
      config.apiKeys = parseApiKeys(env.API_KEYS);
    } catch (error) {
      throw new ConfigError(`Invalid configuration: API_KEYS ${(error as Error).message}`);
    }
  }
  return config;
}

export const APP_CONFIG = Symbol('APP_CONFIG');
