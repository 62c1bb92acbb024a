import { DEFAULT_MAX_APPEND_BYTES } from '../../platform/event-store/event-store.port';
import { parseStoreLocation, sameLocation, StoreLocationError, type StoreLocation } from '../migrate/store-location.factory';

export const MIGRATE_USAGE = `usage: npm run migrate-events -- --from <store> --to <store> [--resume] [--max-append-bytes N]
  <store>: an embedded data directory (a path, the service's DATA_DIR), postgres://… (the connection's schema),
           or esdb://, esdb+discover://, kurrentdb://, kurrentdb+discover://, kurrent://, kdb:// (and +discover)
  --resume               continue an interrupted copy from the same source (the target holds its beginning)
  --max-append-bytes N   an EventStoreDB target's MaxAppendSize (default EVENTSTORE_MAX_APPEND_BYTES, else 1048576)
Copies the whole event log in order, every event id, type, data, metadata and stream revision, into a target that
holds no events; stop services using either store first. Then run \`npm run rebuild\` against the new store.`;

/** A wrong command line: exit code 2, one line (and the usage when the arguments themselves were wrong). */
export class MigrateUsageError extends Error {
  constructor(
    message: string,
    readonly showUsage = true,
  ) {
    super(message);
    this.name = 'MigrateUsageError';
  }
}

export interface MigrateArgs {
  from: StoreLocation;
  to: StoreLocation;
  resume: boolean;
  maxAppendBytes: number;
  help: boolean;
}

const VALUED = ['from', 'to', 'max-append-bytes'] as const;
const MAX_APPEND_LIMIT = 16_777_216;

/** Parses `--from X --to Y [--resume] [--max-append-bytes N]` (also `--name=value`). */
export function parseMigrateArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): MigrateArgs {
  const values: Partial<Record<(typeof VALUED)[number], string>> = {};
  let resume = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') return { help: true } as MigrateArgs;
    if (arg === '--resume') {
      resume = true;
      continue;
    }
    if (!arg.startsWith('--')) throw new MigrateUsageError(`unexpected argument "${arg}"`);
    const [name, inline] = arg.slice(2).split(/=(.*)/s, 2);
    if (!(VALUED as readonly string[]).includes(name)) throw new MigrateUsageError(`unknown option --${name}`);
    const value = inline ?? argv[++i];
    if (value === undefined || value === '' || (inline === undefined && value.startsWith('--'))) throw new MigrateUsageError(`--${name} needs a value`);
    values[name as (typeof VALUED)[number]] = value;
  }
  if (values.from === undefined || values.to === undefined) throw new MigrateUsageError('--from and --to are both required');
  let from: StoreLocation;
  let to: StoreLocation;
  try {
    from = parseStoreLocation(values.from, '--from');
    to = parseStoreLocation(values.to, '--to');
  } catch (error) {
    if (error instanceof StoreLocationError) throw new MigrateUsageError(error.message);
    throw error;
  }
  if (sameLocation(from, to)) throw new MigrateUsageError('--from and --to name the same store', false);
  const rawMax = values['max-append-bytes'] ?? (env.EVENTSTORE_MAX_APPEND_BYTES || undefined);
  const maxAppendBytes = rawMax === undefined ? DEFAULT_MAX_APPEND_BYTES : Number(rawMax);
  if (!Number.isInteger(maxAppendBytes) || maxAppendBytes < 1 || maxAppendBytes > MAX_APPEND_LIMIT) {
    throw new MigrateUsageError(`the maximum append size (--max-append-bytes or EVENTSTORE_MAX_APPEND_BYTES) must be an integer from 1 to ${MAX_APPEND_LIMIT}, got "${rawMax}"`, false);
  }
  return { from, to, resume, maxAppendBytes, help: false };
}
