import { describe, it } from 'node:test';
import { PopStatus } from '../../../src/inventory/domain/pop.enums';
import { WorkloadCommand, WorkloadContext } from '../../../src/residency/domain/workload.commands';
import { workloadDecider } from '../../../src/residency/domain/workload.decider';
import { WorkloadEvent } from '../../../src/residency/domain/workload.events';
import { deciderSpec } from '../../support/decider-spec';
import { iso, T0 } from '../../support/pop-builders';

/** PoP fra is LIVE from 2027-02-01; ber is BUILDING; nothing else exists. */
const context: WorkloadContext = {
  popStatusAt(popId: string, at: string): PopStatus | null {
    if (popId === 'fra') return at >= iso('2027-02-01') ? 'LIVE' : 'BUILDING';
    if (popId === 'ber') return 'BUILDING';
    return null;
  },
};
const spec = deciderSpec(workloadDecider, context);

const registered: WorkloadEvent = {
  type: 'WorkloadRegistered',
  data: { workloadId: 'w1', tenant: 'acme', name: 'billing-db', dataCategories: ['PERSONAL', 'PAYMENT'] },
  effectiveAt: T0,
};
const placed = (popId: string, at: string, role: 'PRIMARY' | 'REPLICA' = 'PRIMARY'): WorkloadEvent => ({ type: 'WorkloadPlaced', data: { workloadId: 'w1', popId, role }, effectiveAt: at });
const withdrawn = (popId: string, at: string): WorkloadEvent => ({ type: 'WorkloadWithdrawn', data: { workloadId: 'w1', popId }, effectiveAt: at });
const place = (popId: string, at: string, role: 'PRIMARY' | 'REPLICA' = 'PRIMARY'): WorkloadCommand => ({ type: 'PlaceWorkload', data: { workloadId: 'w1', popId, role }, effectiveAt: at });
const withdraw = (popId: string, at: string): WorkloadCommand => ({ type: 'WithdrawWorkload', data: { workloadId: 'w1', popId }, effectiveAt: at });

describe('registerWorkload', () => {
  it('registers with de-duplicated data categories', () => {
    spec
      .given([])
      .when({ type: 'RegisterWorkload', data: { workloadId: 'w1', tenant: 'acme', name: 'billing-db', dataCategories: ['PERSONAL', 'PAYMENT', 'PERSONAL'] }, effectiveAt: T0 })
      .then([registered]);
  });

  it('rejects a second registration and an empty category list', () => {
    spec.given([registered]).when({ type: 'RegisterWorkload', data: { workloadId: 'w1', tenant: 'acme', name: 'x', dataCategories: ['PUBLIC'] }, effectiveAt: T0 }).thenThrows('DUPLICATE_ID');
    spec.given([]).when({ type: 'RegisterWorkload', data: { workloadId: 'w1', tenant: 'acme', name: 'x', dataCategories: [] }, effectiveAt: T0 }).thenInvalidInput('dataCategories');
  });
});

describe('placeWorkload', () => {
  it('places a registered workload at a PoP that is LIVE at that time', () => {
    spec.given([registered]).when(place('fra', iso('2027-02-01'))).then([placed('fra', iso('2027-02-01'))]);
  });

  it('needs the workload and the PoP to exist', () => {
    spec.given([]).when(place('fra', iso('2027-02-01'))).thenNotFound('workload w1 does not exist');
    spec.given([registered]).when(place('muc', iso('2027-02-01'))).thenNotFound('PoP muc does not exist');
  });

  it('rejects a PoP that is not LIVE at the placement’s effective time', () => {
    spec
      .given([registered])
      .when(place('fra', iso('2027-01-31')))
      .thenThrows('INVALID_TRANSITION', 'PoP fra is BUILDING at 2027-01-31T00:00:00.000Z; workloads are placed only at LIVE PoPs');
    spec.given([registered]).when(place('ber', iso('2027-03-01'))).thenThrows('INVALID_TRANSITION');
  });

  it('rejects placing where it is already placed, or will be', () => {
    spec
      .given([registered, placed('fra', iso('2027-02-01'))])
      .when(place('fra', iso('2027-03-01'), 'REPLICA'))
      .thenThrows('DUPLICATE_ID', 'workload w1 is already placed at PoP fra (as PRIMARY) at 2027-03-01T00:00:00.000Z');
    spec.given([registered, placed('fra', iso('2027-05-01'))]).when(place('fra', iso('2027-03-01'))).thenThrows('DUPLICATE_ID', /at 2027-05-01T00:00:00.000Z$/);
    spec
      .given([registered, placed('fra', iso('2027-02-01')), withdrawn('fra', iso('2027-04-01'))])
      .when(place('fra', iso('2027-03-01')))
      .thenThrows('DUPLICATE_ID');
  });

  it('places again after a withdrawal', () => {
    spec
      .given([registered, placed('fra', iso('2027-02-01')), withdrawn('fra', iso('2027-04-01'))])
      .when(place('fra', iso('2027-04-01'), 'REPLICA'))
      .then([placed('fra', iso('2027-04-01'), 'REPLICA')]);
  });
});

describe('withdrawWorkload', () => {
  it('withdraws a present placement', () => {
    spec.given([registered, placed('fra', iso('2027-02-01'))]).when(withdraw('fra', iso('2027-03-01'))).then([withdrawn('fra', iso('2027-03-01'))]);
  });

  it('rejects a placement that is not present at that time', () => {
    spec.given([registered]).when(withdraw('fra', iso('2027-03-01'))).thenThrows('UNKNOWN_ID', 'workload w1 is not placed at PoP fra at 2027-03-01T00:00:00.000Z');
    spec.given([registered, placed('fra', iso('2027-02-01'))]).when(withdraw('fra', iso('2027-01-15'))).thenThrows('UNKNOWN_ID');
    spec.given([registered, placed('fra', iso('2027-02-01')), withdrawn('fra', iso('2027-03-01'))]).when(withdraw('fra', iso('2027-04-01'))).thenThrows('UNKNOWN_ID');
  });
});
