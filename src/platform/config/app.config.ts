import { plainToInstance } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, MinLength, ValidateIf, validateSync } from 'class-validator';
import { ApiKey, parseApiKeys } from '../api/auth/api-key.util';

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

  @ValidateIf((c: AppConfig) => c.EVENT_STORE === 'esdb' || c.EVENTSTORE_CONNECTION_STRING !== undefined)
  @Matches(/^(esdb|esdb\+discover|kurrentdb|kurrentdb\+discover|kurrent):\/\/\S+$/, {
    message: 'EVENTSTORE_CONNECTION_STRING must be an esdb:// connection string (required when EVENT_STORE=esdb)',
  })
  EVENTSTORE_CONNECTION_STRING?: string;

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

  /** Parsed API_KEYS; undefined means "use the stored, first-start admin key". */
  apiKeys?: ApiKey[];

  /** PostgreSQL schema to work in (tests and benchmarks isolate themselves with it); not from the environment. */
  databaseSchema?: string;
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

const INTEGER_VARIABLES = [
  'PORT', 'CAPACITY_WARN_PERCENT', 'CAPACITY_CRITICAL_PERCENT', 'READ_YOUR_WRITES_TIMEOUT_MS', 'RATE_LIMIT_PER_SECOND',
] as const;

/** Reads and validates the environment; throws one ConfigError naming the first bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<AppConfig> = {}): AppConfig {
  const raw: Record<string, unknown> = {};
  for (const key of Object.keys(new AppConfig())) {
    const value = env[key];
    if (value === undefined || value === '') continue;
    raw[key] = (INTEGER_VARIABLES as readonly string[]).includes(key) && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
  }
  for (const key of ['DATABASE_URL', 'EVENTSTORE_CONNECTION_STRING', 'PROCUREMENT_WEBHOOK_SECRET'] as const) {
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
