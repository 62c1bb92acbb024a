import { popStatusAt } from '../../inventory';
import type { PopAggregate, Transition } from '../../inventory';
import { policyDecider, policyStream, workloadDecider, workloadStream } from '../../residency';
import type { PlacementRole, WorkloadContext } from '../../residency';
import { POLICIES, TENANTS, WORKLOAD_TEMPLATES } from './catalog.seed';
import type { Region } from './metros.seed';
import { Prng } from './prng.util';
import { DAY, iso, type SeedPeriod } from './seed-time.util';
import { StreamBuilder, type Provenance, type SeedStream } from './stream-builder.seed';

/** What workload placement needs to know about a generated PoP. */
export interface PopSummary {
  popId: string;
  countryCode: string;
  region: Region;
  transitions: Transition[];
}

const EXTRA_ROLES: ReadonlyArray<[PlacementRole, number]> = [['REPLICA', 0.6], ['BACKUP', 0.5], ['PROCESSING', 0.2]];

/** The residency policies: defined early in the period, one retired half-way. */
export function* policyStreams(seed: number, period: SeedPeriod, provenance: Provenance, rejections: Map<string, number>): Generator<SeedStream> {
  const p = Prng.derive(seed, 'policies');
  const span = period.endMs - period.startMs;
  for (const { retireAfterFraction, ...input } of POLICIES) {
    const builder = new StreamBuilder(policyStream(input.policyId), policyDecider, p, provenance, rejections);
    const definedAt = period.startMs + p.int(7, 60) * DAY;
    builder.tryDecide({ type: 'DefineResidencyPolicy', data: input, effectiveAt: iso(definedAt) }, undefined);
    if (retireAfterFraction !== undefined) {
      const retiredAt = period.startMs + span * retireAfterFraction;
      builder.tryDecide({ type: 'RetireResidencyPolicy', data: { policyId: input.policyId }, effectiveAt: iso(retiredAt) }, undefined);
    }
    yield builder.toStream();
  }
}

/**
 * Workloads of several tenants, registered over the period and placed at PoPs that are LIVE at the
 * placement's time, mostly in the tenant's home region (some elsewhere: the report has violations
 * to show); a few are withdrawn later.
 */
export function* workloadStreams(
  seed: number,
  count: number,
  pops: readonly PopSummary[],
  period: SeedPeriod,
  provenance: Provenance,
  rejections: Map<string, number>,
  idPrefix = '',
): Generator<SeedStream> {
  if (pops.length === 0) return;
  const byId = new Map(pops.map((pop) => [pop.popId, pop]));
  const context: WorkloadContext = {
    // popStatusAt reads only the transitions, which is all a summary keeps.
    popStatusAt: (popId, at) => {
      const pop = byId.get(popId);
      return pop ? popStatusAt({ transitions: pop.transitions } as PopAggregate, Date.parse(at)) : null;
    },
  };
  const span = period.endMs - period.startMs;
  for (let i = 0; i < count; i++) {
    const p = Prng.derive(seed, `workload:${idPrefix}${i}`);
    const tenant = p.pick(TENANTS);
    const template = p.pick(WORKLOAD_TEMPLATES);
    const workloadId = `${idPrefix}${tenant.id}-${template.kind}-${i + 1}`;
    const builder = new StreamBuilder(workloadStream(workloadId), workloadDecider, p, provenance, rejections);
    const registeredAt = period.startMs + span * p.float(0.15, 0.97);
    builder.tryDecide({ type: 'RegisterWorkload', data: { workloadId, tenant: tenant.id, name: `${template.name} (${tenant.id})`, dataCategories: template.dataCategories }, effectiveAt: iso(registeredAt) }, context);
    const roles: PlacementRole[] = template.kind === 'cdn' ? ['PRIMARY', 'CACHE', 'CACHE', 'CACHE'] : ['PRIMARY', ...EXTRA_ROLES.filter(([, chance]) => p.chance(chance)).map(([role]) => role)];
    const used = new Set<string>();
    for (const role of roles) {
      const at = registeredAt + p.int(0, 30) * DAY;
      const home = p.chance(0.85) ? tenant.home : null;
      const pop = livePopAt(p, pops, at, home, used, context);
      if (!pop) continue;
      if (!builder.tryDecide({ type: 'PlaceWorkload', data: { workloadId, popId: pop.popId, role }, effectiveAt: iso(at) }, context)) continue;
      used.add(pop.popId);
      const withdrawAt = at + p.int(30, 700) * DAY;
      if (p.chance(0.1) && withdrawAt < period.endMs) {
        builder.tryDecide({ type: 'WithdrawWorkload', data: { workloadId, popId: pop.popId }, effectiveAt: iso(withdrawAt) }, context);
      }
    }
    yield builder.toStream();
  }
}

/** A PoP LIVE at `at` (in `region` when given), not used yet by this workload; null after a bounded search. */
function livePopAt(p: Prng, pops: readonly PopSummary[], at: number, region: Region | null, used: Set<string>, context: WorkloadContext): PopSummary | null {
  for (let attempt = 0; attempt < 60; attempt++) {
    const pop = pops[Math.floor(p.next() * pops.length)];
    if (used.has(pop.popId) || (region !== null && attempt < 40 && pop.region !== region)) continue;
    if (context.popStatusAt(pop.popId, iso(at)) === 'LIVE') return pop;
  }
  return null;
}
