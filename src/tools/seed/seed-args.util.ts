/** Options of `npm run seed -- --pops N --years Y [--seed S] [--demo] [--via-commands] ...`. */
export interface SeedArgs {
  pops: number;
  years: number;
  seed: number;
  workloads?: number;
  /** "Now" of the network, 00:00Z of a date. */
  endMs: number;
  viaCommands: boolean;
  concurrency?: number;
}

export const SEED_USAGE = `Usage: npm run seed -- --pops N --years Y [--seed S] [--workloads W] [--end YYYY-MM-DD] [--via-commands] [--concurrency C]
       npm run seed -- --demo          (12 PoPs over 2 years: a small network to explore)
Writes into the configured store (DATABASE_URL, or PGlite under DATA_DIR; stop a service using the same
DATA_DIR first). The same arguments give the same network; --end (default: the first day of this month)
is the network's "now".`;

const DEMO = { pops: 12, years: 2, seed: 42 };

export class SeedArgsError extends Error {}

export function parseSeedArgs(argv: readonly string[], now = new Date()): SeedArgs {
  const values = new Map<string, string>();
  const flags = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--demo' || arg === '--via-commands') flags.add(arg);
    else if (['--pops', '--years', '--seed', '--workloads', '--end', '--concurrency'].includes(arg) && i + 1 < argv.length) values.set(arg, argv[++i]);
    else throw new SeedArgsError(`Unknown or incomplete argument "${arg}"\n${SEED_USAGE}`);
  }
  const demo = flags.has('--demo');
  if (!demo && (!values.has('--pops') || !values.has('--years'))) throw new SeedArgsError(`--pops and --years are required (or --demo)\n${SEED_USAGE}`);
  const endMs = values.has('--end') ? parseEnd(values.get('--end') as string) : Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1);
  return {
    pops: integer(values, '--pops', 1, 1_000_000) ?? DEMO.pops,
    years: number(values, '--years', 0.1, 30) ?? DEMO.years,
    seed: integer(values, '--seed', 0, 2 ** 32 - 1) ?? (demo ? DEMO.seed : 1),
    workloads: integer(values, '--workloads', 0, 10_000_000),
    endMs,
    viaCommands: flags.has('--via-commands'),
    concurrency: integer(values, '--concurrency', 1, 64),
  };
}

function number(values: Map<string, string>, name: string, min: number, max: number): number | undefined {
  const raw = values.get(name);
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min || value > max) throw new SeedArgsError(`${name} must be a number from ${min} to ${max}, got "${raw}"`);
  return value;
}

function integer(values: Map<string, string>, name: string, min: number, max: number): number | undefined {
  const value = number(values, name, min, max);
  if (value !== undefined && !Number.isInteger(value)) throw new SeedArgsError(`${name} must be a whole number, got "${values.get(name)}"`);
  return value;
}

function parseEnd(raw: string): number {
  const ms = /^\d{4}-\d{2}-\d{2}$/.test(raw) ? Date.parse(`${raw}T00:00:00.000Z`) : NaN;
  if (Number.isNaN(ms)) throw new SeedArgsError(`--end must be a date YYYY-MM-DD, got "${raw}"`);
  return ms;
}
