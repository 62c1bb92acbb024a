import { Prng } from '../src/tools/seed/prng.util';
import { GraphqlClient } from './graphql-client';
import { sequentialLatencies, summary } from './latency';

export const CAPACITY = `query($popId: ID!) { capacity(popId: $popId) {
  popId code countryCode status overall
  space { totalU usedU reservedU freeU utilizationPercent status }
  power { provisionedKw usableKw allocatedKw reservedKw headroomKw utilizationPercent redundant status }
  network { capacityMbps reservedMbps headroomMbps utilizationPercent status byType { type capacityMbps circuits } }
} }`;

/** The capacity query with every rack's space and power (the `capacity_racks_p99_ms` shape). */
export const CAPACITY_RACKS = `query($popId: ID!) { capacity(popId: $popId) {
  popId overall
  space { totalU usedU freeU status racks { rackId totalU usedU freeU provisionedKw usableKw allocatedKw } }
  power { usableKw allocatedKw headroomKw status }
} }`;

const FIND_CAPACITY = `query($need: CapacityNeedInput!) { findCapacity(need: $need) {
  popId code countryCode overall space { freeU } power { headroomKw } network { headroomMbps }
} }`;

const COST_SUMMARY = `query($groupBy: CostGroupBy!, $currency: String) { costSummary(groupBy: $groupBy, currency: $currency) {
  key popCount monthlyRecurring { amount currency } converted { amount currency }
} }`;

/** The whole residency report as the bench asks for it (asOf: now when not given). */
export const RESIDENCY_REPORT = `query($asOf: DateTime) { residencyReport(asOf: $asOf) {
  asOf summary { compliant violations unassessed byCountry { countryCode compliant violations unassessed } }
  rows { workloadId tenant dataCategory popId popCode countryCode role placedAt policyId outcome reason
         evidence { eventId type streamId effectiveAt recordedAt actor } }
} }`;

export type PlanningQuery = 'capacity' | 'capacityRacks' | 'findCapacity' | 'costSummary';

export interface QuerySizes {
  count: number;
  warmup: number;
  budgetMs: number;
}

/**
 * A planning what-if as a client runs it, one request at a time, over HTTP: random PoPs, needs and
 * groupings (seeded, so every run asks the same questions).
 */
export async function measureQuery(url: string, secret: string, query: PlanningQuery, popIds: readonly string[], sizes: QuerySizes): Promise<ReturnType<typeof summary>> {
  const p = Prng.derive(7, query);
  const request = (): [string, Record<string, unknown>] => {
    if (query === 'capacity') return [CAPACITY, { popId: p.pick(popIds) }];
    if (query === 'capacityRacks') return [CAPACITY_RACKS, { popId: p.pick(popIds) }];
    if (query === 'findCapacity') return [FIND_CAPACITY, { need: randomNeed(p) }];
    return [COST_SUMMARY, { groupBy: p.pick(['POP', 'COUNTRY', 'REGION', 'CATEGORY']), currency: p.chance(0.5) ? 'EUR' : null }];
  };
  const client = new GraphqlClient(url, secret);
  try {
    const samples = await sequentialLatencies(
      sizes.count,
      sizes.warmup,
      async () => {
        const [document, variables] = request();
        const field = query === 'capacityRacks' ? 'capacity' : query;
        const answer = await client.query(document, variables);
        if (answer.errors?.length || !answer.data?.[field]) throw new Error(`${query}: ${JSON.stringify(answer.errors ?? answer.data).slice(0, 300)}`);
      },
      sizes.budgetMs,
    );
    return summary(samples);
  } finally {
    client.close();
  }
}

/**
 * The capacity query (the `capacity_p99_ms` shape) from `clients` lean clients at once, each one
 * request after the other, for `seconds` after a second of warm-up: answers per second.
 */
export async function measureCapacityThroughput(url: string, secret: string, popIds: readonly string[], clients: number, seconds: number): Promise<{ perS: number; answered: number }> {
  const run = async (ms: number) => {
    let answered = 0;
    const deadline = performance.now() + ms;
    await Promise.all(
      Array.from({ length: clients }, async (_, i) => {
        const p = Prng.derive(i, 'capacity-throughput');
        const client = new GraphqlClient(url, secret);
        try {
          while (performance.now() < deadline) {
            const answer = await client.query(CAPACITY, { popId: p.pick(popIds) });
            if (answer.errors?.length || !answer.data?.capacity) throw new Error(`capacity: ${JSON.stringify(answer.errors ?? answer.data).slice(0, 300)}`);
            answered += 1;
          }
        } finally {
          client.close();
        }
      }),
    );
    return answered;
  };
  await run(1_000);
  const started = performance.now();
  const answered = await run(seconds * 1_000);
  return { perS: answered / ((performance.now() - started) / 1_000), answered };
}

function randomNeed(p: Prng): Record<string, unknown> {
  const need: Record<string, unknown> = {};
  if (p.chance(0.7)) need.spaceU = p.int(1, 20);
  if (p.chance(0.6)) need.powerKw = p.int(1, 20) / 2;
  if (p.chance(0.4)) need.bandwidthMbps = p.int(1, 10) * 1_000;
  const scope = p.int(0, 3);
  if (scope === 1) need.regions = [p.pick(['EMEA', 'AMER', 'APAC'])];
  if (scope === 2) need.countryCodes = p.sample(['DE', 'NL', 'GB', 'FR', 'US', 'SG', 'JP', 'BR', 'IN', 'AU'], 3);
  if (scope === 3) need.countryGroups = ['EU'];
  if (p.chance(0.5)) need.statuses = ['LIVE'];
  return need;
}

/** The whole residency report (rows with evidence), `runs` times after one warm-up; its size comes back too. */
export async function measureResidencyReport(url: string, secret: string, runs: number): Promise<{ ms: ReturnType<typeof summary>; firstMs: number; rows: number }> {
  let rows = 0;
  const client = new GraphqlClient(url, secret);
  try {
    const report = async () => {
      const answer = await client.query<{ residencyReport: { rows: unknown[] } }>(RESIDENCY_REPORT);
      if (answer.errors?.length || !answer.data) throw new Error(`residencyReport: ${JSON.stringify(answer.errors).slice(0, 300)}`);
      rows = answer.data.residencyReport.rows.length;
    };
    // The first report is read and evaluated anew; the ones after it are answered from the kept report
    // (nothing changes in between), so the first is reported too: what a report after a change costs.
    const started = performance.now();
    await report();
    const firstMs = performance.now() - started;
    return { ms: summary(await sequentialLatencies(runs, 0, report)), firstMs, rows };
  } finally {
    client.close();
  }
}
