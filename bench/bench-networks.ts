import { NetworkGenerator } from '../src/tools/seed/network-generator.seed';
import { dayStartOf } from '../src/tools/seed/seed-time.util';
import type { BenchSizes } from './bench-sizes';

/** Who the bench's generated events say recorded them. */
export const BENCH_PROVENANCE = { actor: 'bench', source: 'cli' } as const;

/**
 * The generated networks of the bench's sections, up to the start of `now`'s day: one place, so that a probe
 * seeds exactly what the section it stands in for measures.
 */
export const benchNetworks = {
  /** The 'postgres' section's: PoPs, workloads, policies and FX of `sizes.network`. */
  postgres: (network: BenchSizes['network'], now = Date.now()) => new NetworkGenerator({ ...network, seed: 1, endMs: dayStartOf(now), provenance: BENCH_PROVENANCE }),
  /** 'queries10k': `pops` PoPs with their reference data and no workloads. */
  largeNetwork: (pops: number, now = Date.now()) => new NetworkGenerator({ pops, years: 3, workloads: 0, seed: 5, endMs: dayStartOf(now), provenance: BENCH_PROVENANCE }),
  /** 'csv': over 100,000 residency rows at the bench's sizes. */
  residencyCsv: ({ pops, workloads }: BenchSizes['residencyCsv'], now = Date.now()) =>
    new NetworkGenerator({ pops, years: 3, workloads, seed: 3, endMs: dayStartOf(now), provenance: BENCH_PROVENANCE }),
};
