import { SqlQueryable } from '../../platform/database/sql-client.port';
import { PopEvent, PopRegistered } from '../../inventory';
import { Money } from '../../kernel/money.types';
import { DAY_MS, dayStart, isoOf } from '../../kernel/time.util';
import { RecordedEvent } from '../../platform/event-store/event-store.port';
import { Projection, TableNames } from '../../platform/projections/projection.port';
import { CostCategory } from '../domain/cost.enums';

/**
 * The cost read model (docs/domain.md, "Cost formulas"): every cost-bearing item with its effective interval, so that
 * any `asOf` is one range condition and back-dated events simply correct history.
 *
 * - rm_cost_pop: the PoPs and their grouping keys (country, region); a PoP's profile never changes.
 * - rm_cost_recurring: monthly recurring cost (MRC) on [valid_from, valid_to) (valid_to NULL: open):
 *   LEASE while the lease is active, [startsOn 00:00Z, (endsOn + 1 day) 00:00Z) (endsOn inclusive,
 *   LeaseTerminated moves it); POWER while the feed is present and CONNECTIVITY while the circuit is
 *   present, [added/connected, removed/disconnected); CLOUD for a VIRTUAL PoP's monthlyCost from its
 *   registration's effective time until it is CLOSED (PopClosed; CLOSED is final). A PHYSICAL PoP's
 *   registration carries no cloud cost. Rows copy their PoP's country and region, so that a summary
 *   is one scan grouped by the key, with no join; fixed-width and grouped columns come first (cheaper
 *   to read in that scan).
 * - rm_cost_one_off: one-off costs (NRC: lease, feed and circuit oneOffCost, device purchaseCost) at
 *   the effective time of the event that recorded them; a query counts them in the period containing it.
 *
 * Ids are unique per PoP and kind forever (DUPLICATE_ID), so (pop_id, category, item_id) is a key.
 * One-off rows are never updated and only summed, so they need no key and no item id: only the
 * (deferred) index the queries use.
 */
export const costProjection: Projection = {
  name: 'cost',
  eventTypes: [
    'PopRegistered', 'SiteLeased', 'LeaseTerminated', 'PopClosed', 'PowerFeedAdded', 'PowerFeedRemoved',
    'CarrierConnected', 'CarrierDisconnected', 'DeviceInstalled',
  ] satisfies PopEvent['type'][],
  tables: ['rm_cost_pop', 'rm_cost_recurring', 'rm_cost_one_off'],
  // Every row belongs to one PoP, and only its own stream's events write it.
  streamsIndependent: true,

  createTables: (t) => `
    CREATE TABLE ${t('rm_cost_pop')} (
      pop_id text PRIMARY KEY,
      country_code text NOT NULL,
      region text
    );
    CREATE TABLE ${t('rm_cost_recurring')} (
      valid_from timestamptz NOT NULL,
      valid_to timestamptz,
      amount numeric NOT NULL,
      currency text NOT NULL,
      pop_id text NOT NULL,
      country_code text NOT NULL,
      region text,
      category text NOT NULL,
      item_id text NOT NULL,
      PRIMARY KEY (pop_id, category, item_id)
    );
    CREATE TABLE ${t('rm_cost_one_off')} (
      pop_id text NOT NULL,
      effective_at timestamptz NOT NULL,
      amount numeric NOT NULL,
      currency text NOT NULL
    )`,

  createIndexes: (t) => `
    CREATE INDEX ${t('rm_cost_one_off')}_at ON ${t('rm_cost_one_off')} (pop_id, effective_at)`,

  async handle(tx: SqlQueryable, events: RecordedEvent[], t: TableNames): Promise<void> {
    const batch = new CostBatch();
    for (const event of events) batch.add(event);
    await batch.write(tx, t);
  },
};

const dayStartIso = (date: string) => isoOf(dayStart(date));
/** Exclusive end of an inclusive last day. */
const dayAfterIso = (date: string) => isoOf(dayStart(date) + DAY_MS);

/** Column arrays of one multi-row statement (unnest), filled in event order. */
class Columns<K extends string> {
  readonly values: Record<K, Array<string | null>>;
  size = 0;

  constructor(readonly names: readonly K[]) {
    this.values = Object.fromEntries(names.map((name) => [name, []])) as unknown as Record<K, Array<string | null>>;
  }

  push(row: Record<K, string | null>): void {
    for (const name of this.names) this.values[name].push(row[name]);
    this.size++;
  }

  params(): Array<Array<string | null>> {
    return this.names.map((name) => this.values[name]);
  }
}

/**
 * One batch, applied set-based: inserts first, then the ends of items (which may have been inserted
 * in the same batch). Ids are never reused, so an item's later end (a second LeaseTerminated) simply
 * replaces an earlier one of the same batch.
 */
class CostBatch {
  private readonly pops = new Columns(['pop_id', 'country_code', 'region'] as const);
  private readonly recurring = new Columns(['pop_id', 'category', 'item_id', 'amount', 'currency', 'valid_from', 'valid_to'] as const);
  private readonly oneOff = new Columns(['pop_id', 'effective_at', 'amount', 'currency'] as const);
  private readonly ends = new Map<string, { pop_id: string; category: CostCategory; item_id: string; valid_to: string }>();

  add(event: RecordedEvent): void {
    const at = event.metadata.effectiveAt;
    const pe = { type: event.type, data: event.data } as PopEvent;
    switch (pe.type) {
      case 'PopRegistered':
        return this.registered(pe, at);
      case 'SiteLeased': {
        const { popId, leaseId, startsOn, endsOn, monthlyCost, oneOffCost } = pe.data;
        this.addRecurring(popId, 'LEASE', leaseId, monthlyCost, dayStartIso(startsOn), endsOn ? dayAfterIso(endsOn) : null);
        return this.addOneOff(popId, oneOffCost, at);
      }
      case 'LeaseTerminated':
        return this.end(pe.data.popId, 'LEASE', pe.data.leaseId, dayAfterIso(pe.data.endsOn));
      case 'PopClosed':
        return this.end(pe.data.popId, 'CLOUD', pe.data.popId, at);
      case 'PowerFeedAdded': {
        const { popId, feedId, monthlyCost, oneOffCost } = pe.data;
        this.addRecurring(popId, 'POWER', feedId, monthlyCost, at, null);
        return this.addOneOff(popId, oneOffCost, at);
      }
      case 'PowerFeedRemoved':
        return this.end(pe.data.popId, 'POWER', pe.data.feedId, at);
      case 'CarrierConnected': {
        const { popId, circuitId, monthlyCost, oneOffCost } = pe.data;
        this.addRecurring(popId, 'CONNECTIVITY', circuitId, monthlyCost, at, null);
        return this.addOneOff(popId, oneOffCost, at);
      }
      case 'CarrierDisconnected':
        return this.end(pe.data.popId, 'CONNECTIVITY', pe.data.circuitId, at);
      case 'DeviceInstalled':
        return this.addOneOff(pe.data.popId, pe.data.purchaseCost, at);
      default:
        return;
    }
  }

  async write(tx: SqlQueryable, t: TableNames): Promise<void> {
    if (this.pops.size > 0) {
      await tx.insertColumns(t('rm_cost_pop'), { pop_id: 'text', country_code: 'text', region: 'text' }, this.pops.params());
    }
    if (this.recurring.size > 0) {
      await tx.query(
        `INSERT INTO ${t('rm_cost_recurring')} (valid_from, valid_to, amount, currency, pop_id, country_code, region, category, item_id)
         SELECT i.valid_from, i.valid_to, i.amount, i.currency, i.pop_id, p.country_code, p.region, i.category, i.item_id
           FROM unnest($1::text[], $2::text[], $3::text[], $4::numeric[], $5::text[], $6::timestamptz[], $7::timestamptz[])
                AS i(pop_id, category, item_id, amount, currency, valid_from, valid_to)
           JOIN ${t('rm_cost_pop')} p USING (pop_id)`,
        this.recurring.params(),
      );
    }
    if (this.oneOff.size > 0) {
      await tx.insertColumns(t('rm_cost_one_off'), { pop_id: 'text', effective_at: 'timestamptz', amount: 'numeric', currency: 'text' }, this.oneOff.params());
    }
    if (this.ends.size > 0) {
      const ends = new Columns(['pop_id', 'category', 'item_id', 'valid_to'] as const);
      for (const end of this.ends.values()) ends.push(end);
      // Items without a monthly cost (a feed with none, a PHYSICAL PoP's close) have no row: nothing to update.
      await tx.query(
        `UPDATE ${t('rm_cost_recurring')} r SET valid_to = e.valid_to
           FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[]) AS e(pop_id, category, item_id, valid_to)
          WHERE r.pop_id = e.pop_id AND r.category = e.category AND r.item_id = e.item_id`,
        ends.params(),
      );
    }
  }

  private registered({ data }: PopRegistered, at: string): void {
    this.pops.push({ pop_id: data.popId, country_code: data.countryCode, region: data.region ?? null });
    if (data.kind === 'VIRTUAL') this.addRecurring(data.popId, 'CLOUD', data.popId, data.monthlyCost, at, null);
  }

  private addRecurring(popId: string, category: CostCategory, itemId: string, cost: Money | null | undefined, from: string, to: string | null): void {
    if (!cost) return;
    this.recurring.push({ pop_id: popId, category, item_id: itemId, amount: cost.amount, currency: cost.currency, valid_from: from, valid_to: to });
  }

  private addOneOff(popId: string, cost: Money | null | undefined, at: string): void {
    if (!cost) return;
    this.oneOff.push({ pop_id: popId, effective_at: at, amount: cost.amount, currency: cost.currency });
  }

  private end(popId: string, category: CostCategory, itemId: string, validTo: string): void {
    this.ends.set(JSON.stringify([popId, category, itemId]), { pop_id: popId, category, item_id: itemId, valid_to: validTo });
  }
}

/** SQL condition on rm_cost_recurring: the item costs at the instant bound to `param` (e.g. `$1`). */
export const recurringAt = (param: string) => `valid_from <= ${param}::timestamptz AND (valid_to IS NULL OR valid_to > ${param}::timestamptz)`;
