import assert from 'node:assert/strict';
import { mutation } from '../../support/fixtures';
import { KEYS, TestApp } from '../../support/test-app';
import type { Role } from '../../../src/platform/api/auth/roles.types';

export const REPORT_FIELDS = `asOf generatedAt
  rows { workloadId tenant dataCategory popId popCode countryCode role placedAt policyId outcome reason
         evidence { eventId type streamId effectiveAt recordedAt actor } }
  summary { compliant violations unassessed byCountry { countryCode compliant violations unassessed } }`;

export const REPORT_QUERY = `query($asOf: DateTime, $tenant: String, $dataCategory: DataCategory, $countryCode: String) {
  residencyReport(asOf: $asOf, tenant: $tenant, dataCategory: $dataCategory, countryCode: $countryCode) { ${REPORT_FIELDS} } }`;

export interface Evidence {
  eventId: string;
  type: string;
  streamId: string;
  effectiveAt: string;
  recordedAt: string;
  actor: string;
}

export interface Row {
  workloadId: string;
  tenant: string;
  dataCategory: string;
  popId: string;
  popCode: string;
  countryCode: string;
  role: string;
  placedAt: string;
  policyId: string | null;
  outcome: string;
  reason: string;
  evidence: Evidence[];
}

export type Filters = { asOf?: string; tenant?: string; dataCategory?: string; countryCode?: string };

const at = (date: string, time = '00:00:00.000') => `${date}T${time}Z`;

/** Instants the scenario is read at. */
export const T = {
  beforeBrazil: at('2026-01-20'),
  lastDayWithoutBrazil: at('2026-01-25', '23:59:59.999'),
  brazilAdequate: at('2026-01-26'),
  february: at('2026-02-01'),
  beforeWithdrawal: at('2026-02-15', '11:59:59.999'),
  withdrawal: at('2026-02-15', '12:00:00.000'),
  retirement: at('2026-03-01'),
  replaced: at('2026-04-01'),
};

const POPS: Record<string, [code: string, country: string]> = {
  ams: ['AMS1', 'NL'],
  fra: ['FRA1', 'DE'],
  gru: ['GRU1', 'BR'],
  iad: ['IAD1', 'US'],
  osl: ['OSL1', 'NO'],
  sin: ['SIN1', 'SG'],
};

const WORKLOADS: Record<string, [tenant: string, categories: string[]]> = {
  crm: ['acme', ['PERSONAL', 'PAYMENT']],
  edge: ['initech', ['PUBLIC']],
  hr: ['acme', ['HEALTH']],
  logs: ['globex', ['TELEMETRY', 'PUBLIC', 'PAYMENT']],
  pay: ['acme', ['PAYMENT']],
};

/**
 * The scenario, recorded through the GraphQL mutations (PoPs and policies by admin, workloads by planner):
 * - virtual PoPs LIVE from 2025-12-02 in NL, DE, BR, US, NO, SG;
 * - policies from 2025-12-15: gdpr (PERSONAL anywhere in EEA or EU_ADEQUACY), pay-acme (PAYMENT of
 *   acme: PRIMARY in DE, nothing in SG), health (HEALTH in the EU but not DE), tele (TELEMETRY in SG,
 *   retired at T.retirement);
 * - placements from 2026-01-10; crm's BACKUP in SG is withdrawn at T.withdrawal; edge's CACHE in NL is
 *   withdrawn at T.replaced and placed again as PRIMARY at the same instant.
 */
export class ResidencyWorld {
  /** Event id of each fact: `pop:<id>`, `workload:<id>`, `policy:<id>`, `placed:<workload>@<pop>:<role>`. */
  private readonly ids = new Map<string, string>();
  private readonly placedAt = new Map<string, string>();
  private evidence = new Map<string, Evidence>();

  constructor(readonly app: TestApp) {}

  async record(): Promise<void> {
    for (const [popId, [code, countryCode]] of Object.entries(POPS)) {
      const input = { popId, code, name: `PoP ${code}`, kind: 'VIRTUAL', operatorModel: 'CLOUD', countryCode, provider: 'Cloud', effectiveAt: at('2025-12-01') };
      this.ids.set(`pop:${popId}`, await this.run('registerPop', input));
      await this.run('activatePop', { popId, effectiveAt: at('2025-12-02') });
    }
    const policy = (policyId: string, input: Record<string, unknown>) =>
      this.run('defineResidencyPolicy', { policyId, name: `Policy ${policyId}`, effectiveAt: at('2025-12-15'), ...input }).then((id) => this.ids.set(`policy:${policyId}`, id));
    await policy('gdpr', { kind: 'ALLOWED_LOCATIONS', dataCategory: 'PERSONAL', allowedGroups: ['EEA', 'EU_ADEQUACY'], citation: 'GDPR Art. 45' });
    await policy('pay-acme', { kind: 'PRIMARY_COPY_IN', dataCategory: 'PAYMENT', tenant: 'acme', allowedCountries: ['DE'], deniedCountries: ['SG'] });
    await policy('health', { kind: 'ALLOWED_LOCATIONS', dataCategory: 'HEALTH', allowedGroups: ['EU'], deniedCountries: ['DE'] });
    await policy('tele', { kind: 'ALLOWED_LOCATIONS', dataCategory: 'TELEMETRY', allowedCountries: ['SG'] });

    for (const [workloadId, [tenant, dataCategories]] of Object.entries(WORKLOADS)) {
      const input = { workloadId, tenant, name: `Workload ${workloadId}`, dataCategories, effectiveAt: at('2026-01-05') };
      this.ids.set(`workload:${workloadId}`, await this.run('registerWorkload', input, 'planner'));
    }
    const jan10 = at('2026-01-10');
    for (const [workloadId, popId, role] of [
      ['crm', 'gru', 'PRIMARY'],
      ['crm', 'iad', 'REPLICA'],
      ['crm', 'sin', 'BACKUP'],
      ['edge', 'ams', 'CACHE'],
      ['hr', 'fra', 'PRIMARY'],
      ['hr', 'ams', 'REPLICA'],
      ['hr', 'osl', 'CACHE'],
      ['logs', 'sin', 'PROCESSING'],
      ['pay', 'fra', 'PRIMARY'],
    ]) {
      await this.place(workloadId, popId, role, jan10);
    }
    await this.run('withdrawWorkload', { workloadId: 'crm', popId: 'sin', effectiveAt: T.withdrawal }, 'planner');
    await this.run('retireResidencyPolicy', { policyId: 'tele', effectiveAt: T.retirement });
    await this.run('withdrawWorkload', { workloadId: 'edge', popId: 'ams', effectiveAt: T.replaced }, 'planner');
    await this.place('edge', 'ams', 'PRIMARY', T.replaced);
    await this.loadEvidence();
  }

  /** A report row as the scenario defines it; evidence from the event store's history. */
  row(workloadId: string, popId: string, role: string, dataCategory: string, policyId: string | null, outcome: string, reason: string): Row {
    const placement = `placed:${workloadId}@${popId}:${role}`;
    const facts = [`workload:${workloadId}`, placement, `pop:${popId}`, ...(policyId === null ? [] : [`policy:${policyId}`])];
    return {
      workloadId,
      tenant: WORKLOADS[workloadId][0],
      dataCategory,
      popId,
      popCode: POPS[popId][0],
      countryCode: POPS[popId][1],
      role,
      placedAt: this.placedAt.get(placement) as string,
      policyId,
      outcome,
      reason,
      evidence: facts.map((fact) => this.evidence.get(this.ids.get(fact) as string) as Evidence),
    };
  }

  async report(filters: Filters, role: Role = 'compliance'): Promise<{ asOf: string; generatedAt: string; rows: Row[]; summary: any }> {
    const response = await this.app.gql(REPORT_QUERY, filters, role);
    assert.equal(response.errors, undefined, JSON.stringify(response.errors));
    return response.data.residencyReport;
  }

  rest(path: string, params: Record<string, string>, role: Role | null = 'compliance'): Promise<Response> {
    const query = new URLSearchParams(params).toString();
    const headers: Record<string, string> = role === null ? {} : { authorization: `Bearer ${KEYS[role]}` };
    return fetch(`${this.app.url}${path}${query ? `?${query}` : ''}`, { headers });
  }

  private async place(workloadId: string, popId: string, role: string, effectiveAt: string): Promise<void> {
    const key = `placed:${workloadId}@${popId}:${role}`;
    this.ids.set(key, await this.run('placeWorkload', { workloadId, popId, role, effectiveAt }, 'planner'));
    this.placedAt.set(key, new Date(effectiveAt).toISOString());
  }

  async run(name: string, input: Record<string, unknown>, role: Role = 'admin'): Promise<string> {
    const response = await this.app.gql(mutation(name), { input }, role);
    assert.equal(response.errors, undefined, `${name}: ${JSON.stringify(response.errors)}`);
    assert.equal(response.data[name].projected, true);
    return response.data[name].eventIds[0];
  }

  private async loadEvidence(): Promise<void> {
    const streams = [
      ...Object.keys(POPS).map((id) => `pop-${id}`),
      ...Object.keys(WORKLOADS).map((id) => `workload-${id}`),
      ...['gdpr', 'pay-acme', 'health', 'tele'].map((id) => `policy-${id}`),
    ];
    for (const streamId of streams) {
      const response = await this.app.gql(
        'query($s: ID!) { history(streamId: $s, first: 100) { edges { node { eventId type streamId effectiveAt recordedAt actor } } } }',
        { s: streamId },
      );
      for (const { node } of response.data.history.edges) this.evidence.set(node.eventId, node);
    }
  }
}
