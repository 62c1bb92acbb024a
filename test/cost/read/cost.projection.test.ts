import { describe, it } from 'node:test';
import { costProjection } from '../../../src/cost/read/cost.projection';
import { popStream } from '../../../src/inventory/domain/pop.streams';
import { PopEvent } from '../../../src/inventory/domain/pop.events';
import { eur, iso, POP, popEvents, T0 } from '../../support/pop-builders';
import { GivenEvent, projectionSpec } from '../../support/projection-spec';
import { testDatabases } from '../../support/test-databases';

const onPop = (...events: PopEvent[]): GivenEvent[] => events.map((event) => ({ ...event, streamId: popStream(POP) }));

const RECURRING = `SELECT pop_id, category, item_id, amount::text, currency, country_code,
  to_char(valid_from AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS valid_from, to_char(valid_to AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS valid_to
  FROM rm_cost_recurring ORDER BY category, item_id`;
const ONE_OFF = `SELECT pop_id, amount::text, currency, to_char(effective_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS at FROM rm_cost_one_off ORDER BY effective_at, amount`;

for (const database of testDatabases()) {
  describe(`cost projection (${database.name})`, () => {
    const spec = projectionSpec(costProjection, database);

    it('runs a lease from its first day to the day after its last, with its one-off cost at the signing', () =>
      spec
        .given(onPop(
          popEvents.registered(T0),
          popEvents.leased(T0, { oneOffCost: eur('2500.50') }),
          popEvents.leaseTerminated(iso('2027-02-01'), 'l1', '2027-06-30'),
        ))
        .then(RECURRING, [
          { pop_id: POP, category: 'LEASE', item_id: 'l1', amount: '1000', currency: 'EUR', country_code: 'DE', valid_from: '2027-01-01', valid_to: '2027-07-01' },
        ]));

    it('records one-off costs at their effective dates', () =>
      spec
        .given(onPop(popEvents.registered(T0), popEvents.leased(T0, { oneOffCost: eur('2500.50') })))
        .then(ONE_OFF, [{ pop_id: POP, amount: '2500.50', currency: 'EUR', at: '2027-01-01' }]));

    it('ignores events it does not handle (racks have no cost)', () =>
      spec
        .given(onPop(popEvents.registered(T0), popEvents.rack(T0, 'r1')))
        .then(RECURRING, []));
  });
}
