import { describe, it } from 'node:test';
import { PolicyCommand } from '../../../src/residency/domain/policy.commands';
import { policyDecider } from '../../../src/residency/domain/policy.decider';
import { PolicyEvent } from '../../../src/residency/domain/policy.events';
import { deciderSpec } from '../../support/decider-spec';
import { iso, T0 } from '../../support/pop-builders';

const spec = deciderSpec(policyDecider);

const define = (data: Partial<Extract<PolicyCommand, { type: 'DefineResidencyPolicy' }>['data']> = {}): PolicyCommand => ({
  type: 'DefineResidencyPolicy',
  data: { policyId: 'gdpr', name: 'GDPR personal data', kind: 'ALLOWED_LOCATIONS', dataCategory: 'PERSONAL', allowedGroups: ['EEA', 'EU_ADEQUACY'], ...data },
  effectiveAt: T0,
});
const defined: PolicyEvent = {
  type: 'ResidencyPolicyDefined',
  data: {
    policyId: 'gdpr',
    name: 'GDPR personal data',
    kind: 'ALLOWED_LOCATIONS',
    dataCategory: 'PERSONAL',
    tenant: null,
    allowedCountries: [],
    allowedGroups: ['EEA', 'EU_ADEQUACY'],
    deniedCountries: [],
    citation: null,
  },
  effectiveAt: T0,
};
const retire = (at: string): PolicyCommand => ({ type: 'RetireResidencyPolicy', data: { policyId: 'gdpr' }, effectiveAt: at });
const retired = (at: string): PolicyEvent => ({ type: 'ResidencyPolicyRetired', data: { policyId: 'gdpr' }, effectiveAt: at });

describe('defineResidencyPolicy', () => {
  it('defines a policy with absent lists as empty and absent texts as null', () => {
    spec.given([]).when(define()).then([defined]);
  });

  it('rejects redefining an existing id, even a retired one', () => {
    spec.given([defined]).when(define()).thenThrows('DUPLICATE_ID', 'residency policy gdpr is already defined');
    spec.given([defined, retired(iso('2027-02-01'))]).when(define()).thenThrows('DUPLICATE_ID');
  });

  it('rejects unknown countries and groups', () => {
    spec.given([]).when(define({ allowedCountries: ['de'] })).thenInvalidInput('allowedCountries');
    spec.given([]).when(define({ deniedCountries: ['XX'] })).thenInvalidInput('deniedCountries');
    spec.given([]).when(define({ allowedGroups: ['SCHENGEN'] })).thenInvalidInput('allowedGroups');
  });
});

describe('retireResidencyPolicy', () => {
  it('retires a defined policy', () => {
    spec.given([defined]).when(retire(iso('2027-02-01'))).then([retired(iso('2027-02-01'))]);
  });

  it('answers NOT_FOUND for an unknown policy', () => {
    spec.given([]).when(retire(T0)).thenNotFound('residency policy gdpr does not exist');
  });

  it('rejects retiring twice, or before the definition', () => {
    spec.given([defined, retired(iso('2027-02-01'))]).when(retire(iso('2027-03-01'))).thenThrows('INVALID_TRANSITION', 'residency policy gdpr is already retired at 2027-02-01T00:00:00.000Z');
    spec.given([defined]).when(retire(iso('2026-12-31'))).thenThrows('INVALID_TRANSITION');
  });
});
