/** GraphQL documents and inputs shared by the API tests. */
import assert from 'node:assert/strict';
import type { TestApp } from './test-app';

export const RESULT = 'streamId revision position eventIds duplicate projected';

export function mutation(name: string): string {
  const type = `${name[0].toUpperCase()}${name.slice(1)}Input`;
  return `mutation($input: ${type}!) { ${name}(input: $input) { ${RESULT} } }`;
}

/** Runs mutation `name` as admin and asserts it succeeded and was answered once projected. */
export async function applyProjected(app: TestApp, name: string, input: Record<string, unknown>): Promise<void> {
  const response = await app.gql(mutation(name), { input });
  assert.equal(response.errors, undefined, `${name}: ${JSON.stringify(response.errors)}`);
  assert.equal(response.data[name].projected, true);
}

export const EUR = (amount: string) => ({ amount, currency: 'EUR' });

/** A physical PoP leased and building, with one 42U rack fed A+B (2 × 5.5936 kW... usable 5.5936 kW). */
export const physicalPopSetup = (popId: string, at = '2026-01-01T00:00:00Z') => [
  ['registerPop', { popId, code: popId.toUpperCase(), name: `PoP ${popId}`, kind: 'PHYSICAL', operatorModel: 'COLOCATION', countryCode: 'DE', city: 'Frankfurt', region: 'EMEA', effectiveAt: at }],
  ['leaseSite', { popId, leaseId: `${popId}-l1`, lessor: 'Equinix', startsOn: at.slice(0, 10), monthlyCost: EUR('10000.00'), effectiveAt: at }],
  ['installRack', { popId, rackId: 'r1', effectiveAt: at }],
  ['addPowerFeed', { popId, feedId: 'r1-a', rackId: 'r1', side: 'A', phase: 'SINGLE', voltage: 230, amperage: 32, effectiveAt: at }],
  ['addPowerFeed', { popId, feedId: 'r1-b', rackId: 'r1', side: 'B', phase: 'SINGLE', voltage: 230, amperage: 32, effectiveAt: at }],
] as const;
