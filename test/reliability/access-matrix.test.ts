import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ROLES, type Role } from '../../src/platform/api/auth/roles.types';
import { graphql, mutationDocument } from '../support/service-client';
import { KEYS, printTable, startServiceUnderTest, type ServiceUnderTest } from './reliability-support';

/** 'ok': a 2xx answer without an auth error (a domain refusal counts: access was granted); else what came instead. */
type Outcome = 'ok' | '401' | '403' | `HTTP ${number}` | 'not JSON' | 'INTERNAL_SERVER_ERROR';
type Caller = Role | 'no key' | 'wrong key';

interface Operation {
  name: string;
  /** Roles allowed by docs/api.md, "Access"; null: public. */
  allowed: readonly Role[] | null;
  call(url: string, secret: string | undefined): Promise<Outcome>;
}

const ALL: readonly Role[] = ROLES;
const INVENTORY: readonly Role[] = ['admin', 'planner', 'procurement'];
const WORKLOAD: readonly Role[] = ['admin', 'planner'];
const ADMIN: readonly Role[] = ['admin'];
const COST: readonly Role[] = ['admin', 'planner', 'compliance', 'viewer'];
const COMPLIANCE: readonly Role[] = ['admin', 'planner', 'compliance'];
const SCENARIO_WRITE: readonly Role[] = ['admin', 'planner'];
const SCENARIO_READ: readonly Role[] = ['admin', 'planner', 'compliance', 'viewer'];

/**
 * GraphQL answers auth errors with HTTP 200 and the code in `extensions` (docs/api.md, "Errors"). Allowed
 * means HTTP 2xx, a JSON body, and no auth or internal error: a 500 (or a resolver's INTERNAL_SERVER_ERROR,
 * which GraphQL answers with 200) is not "allowed", whatever the role.
 */
const gqlOutcome = async (url: string, secret: string | undefined, query: string, variables?: Record<string, unknown>): Promise<Outcome> => {
  const answer = await graphql(url, secret, query, variables);
  const codes = (answer.errors ?? []).map((error) => error.extensions?.code);
  // Without a valid key GraphQL answers HTTP 401 with UNAUTHENTICATED (docs/api.md, "Access").
  if (answer.status === 401 && codes.includes('UNAUTHENTICATED')) return '401';
  if (answer.status < 200 || answer.status >= 300) return `HTTP ${answer.status}`;
  if (answer.errors?.some((error) => error.message.startsWith('not JSON:'))) return 'not JSON';
  if (codes.includes('UNAUTHENTICATED')) return '401';
  if (codes.includes('FORBIDDEN')) return '403';
  if (codes.includes('INTERNAL_SERVER_ERROR') || codes.includes(undefined)) return 'INTERNAL_SERVER_ERROR';
  return 'ok';
};

const mutation = (name: string, allowed: readonly Role[], input: Record<string, unknown>): Operation => ({
  name,
  allowed,
  call: (url, secret) => gqlOutcome(url, secret, mutationDocument(name, 'revision'), { input }),
});

const query = (name: string, allowed: readonly Role[], document: string): Operation => ({ name, allowed, call: (url, secret) => gqlOutcome(url, secret, document) });

const rest = (name: string, allowed: readonly Role[] | null, method: 'GET' | 'POST', path: string, body?: unknown): Operation => ({
  name,
  allowed,
  async call(url, secret) {
    const headers: Record<string, string> = body === undefined ? {} : { 'content-type': 'application/json' };
    if (secret !== undefined) headers.authorization = `Bearer ${secret}`;
    const response = await fetch(`${url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    await response.arrayBuffer();
    if (response.status === 401) return '401';
    if (response.status === 403) return '403';
    return response.status >= 200 && response.status < 300 ? 'ok' : `HTTP ${response.status}`;
  },
});

/** A GET of one thing by id: its 404 (no such thing) comes after the key and role were accepted, so it counts as allowed. */
const lookup = (name: string, allowed: readonly Role[], path: string): Operation => {
  const get = rest(name, allowed, 'GET', path);
  return {
    ...get,
    async call(url, secret) {
      const outcome = await get.call(url, secret);
      return outcome === 'HTTP 404' ? 'ok' : outcome;
    },
  };
};

const pop = { popId: 'acl-pop' };
const EUR = { amount: '10.00', currency: 'EUR' };

/** Every operation of the API (docs/api.md: "GraphQL overview", "Access", "Procurement integration"), with inputs that get past validation. */
const OPERATIONS: Operation[] = [
  mutation('registerPop', INVENTORY, { ...pop, code: 'ACL', name: 'Access', kind: 'PHYSICAL', operatorModel: 'OWNED', countryCode: 'DE' }),
  mutation('leaseSite', INVENTORY, { ...pop, leaseId: 'l1', lessor: 'x', startsOn: '2026-01-01', monthlyCost: EUR }),
  mutation('terminateLease', INVENTORY, { ...pop, leaseId: 'l1', endsOn: '2027-01-01' }),
  mutation('startBuildOut', INVENTORY, pop),
  mutation('activatePop', INVENTORY, pop),
  mutation('startDecommission', INVENTORY, pop),
  mutation('closePop', INVENTORY, pop),
  mutation('installRack', INVENTORY, { ...pop, rackId: 'r1' }),
  mutation('removeRack', INVENTORY, { ...pop, rackId: 'r1' }),
  mutation('addPowerFeed', INVENTORY, { ...pop, feedId: 'f1', rackId: 'r1', side: 'A', phase: 'SINGLE', voltage: 230, amperage: 32 }),
  mutation('removePowerFeed', INVENTORY, { ...pop, feedId: 'f1' }),
  mutation('installDevice', INVENTORY, { ...pop, deviceId: 'd1', rackId: 'r1', role: 'SERVER', positionU: 1, heightU: 1, powerDrawWatts: 100 }),
  mutation('removeDevice', INVENTORY, { ...pop, deviceId: 'd1' }),
  mutation('connectCarrier', INVENTORY, { ...pop, circuitId: 'c1', carrier: 'x', type: 'TRANSIT', bandwidthMbps: 1_000, monthlyCost: EUR }),
  mutation('disconnectCarrier', INVENTORY, { ...pop, circuitId: 'c1' }),
  mutation('reserveCapacity', INVENTORY, { ...pop, reservationId: 'x1', resource: 'SPACE_U', amount: 1, from: '2026-01-01T00:00:00Z' }),
  mutation('releaseReservation', INVENTORY, { ...pop, reservationId: 'x1' }),
  mutation('registerWorkload', WORKLOAD, { workloadId: 'acl-w', tenant: 't', name: 'n', dataCategories: ['PUBLIC'] }),
  mutation('placeWorkload', WORKLOAD, { workloadId: 'acl-w', popId: 'acl-pop', role: 'PRIMARY' }),
  mutation('withdrawWorkload', WORKLOAD, { workloadId: 'acl-w', popId: 'acl-pop' }),
  mutation('defineResidencyPolicy', ADMIN, { policyId: 'acl-p', name: 'n', kind: 'ALLOWED_LOCATIONS', dataCategory: 'PUBLIC', allowedGroups: ['EU'] }),
  mutation('retireResidencyPolicy', ADMIN, { policyId: 'acl-p' }),
  mutation('setExchangeRates', ADMIN, { base: 'EUR', rates: [{ currency: 'USD', toBase: '0.92' }] }),
  query('rebuildProjections', ADMIN, 'mutation { rebuildProjections { events } }'),
  query('createApiKey', ADMIN, 'mutation { createApiKey(input: { name: "acl-key", role: VIEWER }) { name } }'),
  query('revokeApiKey', ADMIN, 'mutation { revokeApiKey(input: { name: "acl-key" }) { name } }'),
  query('apiKeys', ADMIN, '{ apiKeys { name source } }'),
  mutation('createScenario', SCENARIO_WRITE, { scenarioId: 'acl-s', name: 'Access' }),
  mutation('addScenarioSteps', SCENARIO_WRITE, { scenarioId: 'acl-s', steps: [{ stepId: 'a', activatePop: { popId: 'acl-pop' } }] }),
  mutation('removeScenarioStep', SCENARIO_WRITE, { scenarioId: 'acl-s', stepId: 'a' }),
  mutation('discardScenario', SCENARIO_WRITE, { scenarioId: 'acl-s' }),
  query('commitScenario', SCENARIO_WRITE, 'mutation { commitScenario(input: { scenarioId: "acl-s" }) { committed } }'),
  query('scenario', SCENARIO_READ, '{ scenario(scenarioId: "acl-s") { name valid } }'),
  query('scenarios', SCENARIO_READ, '{ scenarios(first: 1) { totalCount } }'),
  query('createWebhookSubscription', ADMIN, 'mutation { createWebhookSubscription(input: { subscriptionId: "acl-hook", url: "http://127.0.0.1:9/hook", eventTypes: [INVENTORY_CHANGED], secret: "acl-secret-0123456789" }) { subscriptionId } }'),
  query('redeliverDeadLetters', ADMIN, 'mutation { redeliverDeadLetters(input: { subscriptionId: "acl-hook" }) { deadLettered } }'),
  query('webhookSubscriptions', ADMIN, '{ webhookSubscriptions { subscriptionId deliveredCount failingSince deadLettered } }'),
  query('deleteWebhookSubscription', ADMIN, 'mutation { deleteWebhookSubscription(input: { subscriptionId: "acl-hook" }) { subscriptionId } }'),
  rest('POST /integrations/procurement/records', ['admin', 'procurement'], 'POST', '/integrations/procurement/records', { records: [] }),
  query('pop', ALL, '{ pop(popId: "acl-pop") { popId } }'),
  query('pops', ALL, '{ pops(first: 1) { totalCount } }'),
  query('capacity', ALL, '{ capacity(popId: "acl-pop") { popId } }'),
  query('findCapacity', ALL, '{ findCapacity(need: { spaceU: 1 }) { popId } }'),
  query('capacityForecast', ALL, '{ capacityForecast(popId: "acl-pop", resource: SPACE_U) { resource } }'),
  query('projectionStatus', ALL, '{ projectionStatus { name } }'),
  rest('GET /metrics', ALL, 'GET', '/metrics'),
  lookup('GET /pops/{popId}/racks/{rackId}/elevation.svg', ALL, '/pops/acl-pop/racks/r1/elevation.svg'),
  query('cost', COST, '{ cost(popId: "acl-pop") { popId } }'),
  query('costSummary', COST, '{ costSummary(groupBy: COUNTRY) { key } }'),
  query('residencyReport', COMPLIANCE, '{ residencyReport { asOf } }'),
  rest('GET /reports/residency.json', COMPLIANCE, 'GET', '/reports/residency.json'),
  rest('GET /reports/residency.csv', COMPLIANCE, 'GET', '/reports/residency.csv'),
  query('history', COMPLIANCE, '{ history(streamId: "pop-acl-pop", first: 1) { totalCount } }'),
  rest('GET /health', null, 'GET', '/health'),
];

const CALLERS: Caller[] = [...ROLES, 'no key', 'wrong key'];

function expected(operation: Operation, caller: Caller): Outcome {
  if (operation.allowed === null) return 'ok';
  if (caller === 'no key' || caller === 'wrong key') return '401';
  return operation.allowed.includes(caller) ? 'ok' : '403';
}

function secretOf(caller: Caller): string | undefined {
  if (caller === 'no key') return undefined;
  if (caller === 'wrong key') return 'wrong-secret-0123456789';
  return KEYS[caller];
}

describe('reliability: access matrix (docs/api.md, "Access")', { timeout: 180_000 }, () => {
  let sut: ServiceUnderTest;
  before(async () => {
    sut = await startServiceUnderTest('access');
  });
  after(() => sut?.close());

  it('answers every operation × role × (no key, wrong key, right key) as the design says', async () => {
    const rows: string[][] = [];
    const mismatches: string[] = [];
    for (const operation of OPERATIONS) {
      const row = [operation.name];
      for (const caller of CALLERS) {
        const outcome = await operation.call(sut.url, secretOf(caller));
        const want = expected(operation, caller);
        row.push(outcome === want ? (outcome === 'ok' ? 'yes' : outcome) : `${outcome}≠${want}`);
        if (outcome !== want) mismatches.push(`${operation.name} as ${caller}: ${outcome}, expected ${want}`);
      }
      rows.push(row);
    }
    printTable(`Access matrix: yes = allowed (2xx, no auth or internal error), 401 = UNAUTHENTICATED, 403 = FORBIDDEN (${OPERATIONS.length} operations × ${CALLERS.length} callers)`, ['operation', ...CALLERS], rows);
    assert.deepEqual(mismatches, []);
  });
});
