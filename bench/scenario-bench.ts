import type { PopSummary } from '../src/tools/seed/residency-streams.seed';
import { GraphqlClient } from './graphql-client';
import { sequentialLatencies, summary } from './latency';
import type { QuerySizes } from './query-bench';

const MONEY = 'amount currency';
const CAPACITY = `popId status overall space { totalU usedU reservedU freeU utilizationPercent status racks { rackId usedU usableKw allocatedKw } }
  power { usableKw allocatedKw reservedKw headroomKw utilizationPercent redundant status } network { capacityMbps reservedMbps headroomMbps status byType { type capacityMbps circuits } }`;
const COST = `monthlyRecurring { ${MONEY} } byCategory { category monthlyRecurring { ${MONEY} } } oneOff { ${MONEY} } costPerUsableKw { ${MONEY} } costPerU { ${MONEY} } costPerMbps { ${MONEY} }`;
const SCENARIO = `query($id: ID!, $asOf: DateTime) { scenario(scenarioId: $id, asOf: $asOf) { valid
  steps { stepId outcome rule }
  impact { popId code before { ${CAPACITY} } after { ${CAPACITY} } costBefore { ${COST} } costAfter { ${COST} } } } }`;

const STEPS_PER_POP = 10;
const DAY = 86_400_000;

/**
 * `scenario_eval_p99_ms`: a 200-step plan over 20 physical PoPs of the generated network (LIVE, with
 * their years of history), evaluated with its impact, one request at a time over HTTP. Per PoP: a new
 * rack fed A+B, four devices in it, a circuit, a bandwidth reservation and one more device, all
 * planned a month ahead. Nothing is recorded (only the scenario stream).
 */
export async function measureScenarioEvaluation(
  url: string,
  secret: string,
  pops: readonly PopSummary[],
  sizes: QuerySizes,
): Promise<ReturnType<typeof summary> & { steps: number; pops: number; accepted: number }> {
  const client = new GraphqlClient(url, secret);
  try {
    const plan = await createBenchScenario(client, pops);
    let accepted = 0;
    const samples = await sequentialLatencies(
      Math.min(sizes.count, 300),
      sizes.warmup,
      async () => {
        accepted = (await plan.evaluate()).steps.filter((step: { outcome: string }) => step.outcome === 'ACCEPTED').length;
      },
      sizes.budgetMs,
    );
    return { ...summary(samples), steps: plan.steps, pops: plan.pops, accepted };
  } finally {
    client.close();
  }
}

/** The bench's scenario, created through `client`: the plan above over the first 20 LIVE physical PoPs of `pops`. */
export async function createBenchScenario(client: GraphqlClient, pops: readonly PopSummary[]) {
  const live = pops.filter((pop) => pop.transitions.some((t) => t.status === 'LEASED') && pop.transitions.at(-1)?.status === 'LIVE').slice(0, 20);
  if (live.length < 20) throw new Error(`only ${live.length} LIVE physical PoPs in the network`);
  const scenarioId = `bench-${Date.now()}`;
  const at = new Date(Date.now() + 30 * DAY).toISOString();
  const steps = live.flatMap(({ popId }) => planFor(popId, at));
  await send(client, 'mutation($input: CreateScenarioInput!) { createScenario(input: $input) { revision } }', { input: { scenarioId, name: 'bench' } });
  await send(client, 'mutation($input: AddScenarioStepsInput!) { addScenarioSteps(input: $input) { revision } }', { input: { scenarioId, steps } });
  return { scenarioId, steps: steps.length, pops: live.length, evaluate: (asOf?: string) => evaluateBenchScenario(client, scenarioId, live.length, asOf) };
}

/** The evaluation the bench times (at `asOf`, default now), checked for an impact per PoP of the plan. */
export async function evaluateBenchScenario(client: GraphqlClient, scenarioId: string, pops: number, asOf?: string): Promise<Record<string, any>> {
  const data = await send(client, SCENARIO, { id: scenarioId, asOf });
  if (data.scenario.impact.length !== pops) throw new Error(`impact for ${data.scenario.impact.length} PoPs`);
  return data.scenario;
}

async function send(client: GraphqlClient, document: string, variables: Record<string, unknown>): Promise<Record<string, any>> {
  const answer = await client.query(document, variables);
  if (answer.errors?.length) throw new Error(JSON.stringify(answer.errors).slice(0, 300));
  return answer.data as Record<string, any>;
}

function planFor(popId: string, at: string): Array<Record<string, unknown>> {
  const rackId = 'plan-r1';
  const device = (n: number) => ({ stepId: `${popId}-d${n}`, installDevice: { popId, deviceId: `plan-d${n}`, rackId, role: 'SERVER', positionU: 1 + n * 2, heightU: 2, powerDrawWatts: 400, effectiveAt: at } });
  const feed = (side: 'A' | 'B') => ({ stepId: `${popId}-f${side}`, addPowerFeed: { popId, feedId: `plan-f${side}`, rackId, side, phase: 'SINGLE', voltage: 230, amperage: 32, monthlyCost: { amount: '120.00', currency: 'EUR' }, effectiveAt: at } });
  const steps = [
    { stepId: `${popId}-rack`, installRack: { popId, rackId, effectiveAt: at } },
    feed('A'),
    feed('B'),
    device(0),
    device(1),
    device(2),
    device(3),
    { stepId: `${popId}-circuit`, connectCarrier: { popId, circuitId: 'plan-c1', carrier: 'Lumen', type: 'TRANSIT', bandwidthMbps: 10_000, monthlyCost: { amount: '900.00', currency: 'EUR' }, effectiveAt: at } },
    { stepId: `${popId}-reserve`, reserveCapacity: { popId, reservationId: 'plan-x1', resource: 'BANDWIDTH_MBPS', amount: 500, from: at, effectiveAt: at } },
    device(4),
  ];
  if (steps.length !== STEPS_PER_POP) throw new Error('plan size');
  return steps;
}
