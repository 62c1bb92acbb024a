import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fxDecider } from '../../../src/cost/domain/fx.decider';
import { FX_STREAM } from '../../../src/cost/domain/fx.streams';
import { popStream } from '../../../src/inventory/domain/pop.streams';
import { policyStream, workloadStream } from '../../../src/residency/domain/residency.streams';
import { deciderSpec } from '../../support/decider-spec';
import { T0 } from '../../support/pop-builders';

describe('setExchangeRates', () => {
  it('records the rates as given', () => {
    const rates = { base: 'EUR', rates: [{ currency: 'USD', toBase: '0.92' }, { currency: 'GBP', toBase: '1.17' }] };
    deciderSpec(fxDecider).given([]).when({ type: 'SetExchangeRates', data: rates, effectiveAt: T0 }).then([{ type: 'ExchangeRatesSet', data: rates, effectiveAt: T0 }]);
  });
});

describe('stream ids', () => {
  it('prefixes ids with their kind', () => {
    assert.equal(popStream('fra1'), 'pop-fra1');
    assert.equal(workloadStream('w1'), 'workload-w1');
    assert.equal(policyStream('gdpr'), 'policy-gdpr');
    assert.equal(FX_STREAM, 'fx-rates');
  });
});
