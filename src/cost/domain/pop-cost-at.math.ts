import { Money } from '../../kernel/money.types';
import { RecordTable } from '../../kernel/record-table.util';
import { instantMs } from '../../kernel/time.util';
import { PopKind, PopStatus } from '../../inventory/domain/pop.enums';
import { COST_CATEGORIES, CostCategory } from './cost.enums';
import { addTo, CurrencyTotals, Decimal, money, moneyList } from './decimal.math';

/**
 * A PoP's cost at an instant computed from the PoP aggregate's records (docs/domain.md, "Cost
 * formulas"): the reference the cost read model is proven equal to
 * (test/cost/read/cost-equivalence.test.ts), and what a plan's cost is computed with
 * (docs/planning-scenarios.md). No currency conversion: `converted` is null, and unit costs exist
 * only for a PoP whose monthly recurring cost has a single currency, as `cost` answers without `currency`.
 */

interface Interval {
  from: number;
  /** Exclusive; null: open-ended. */
  to: number | null;
}

/** What the cost is computed from; the inventory's PoP aggregate state has this shape (instants in epoch ms). */
export interface PopCostRecords {
  popId: string;
  kind: PopKind;
  /** A VIRTUAL PoP's cloud cost, from its registration until it is CLOSED. */
  profile: { monthlyCost?: Money | null };
  registeredAt: number;
  transitions: readonly { status: PopStatus; at: number }[];
  /** Active on [from, to); the one-off counts at `signedAt`. */
  leases: Readonly<Record<string, Interval & { signedAt: number; monthlyCost: Money; oneOffCost: Money | null }>>;
  /** Present on [from, to); one-offs count at `from`. */
  feeds: Readonly<Record<string, Interval & { monthlyCost: Money | null; oneOffCost: Money | null }>>;
  circuits: Readonly<Record<string, Interval & { monthlyCost: Money; oneOffCost: Money | null }>>;
  devices: RecordTable<{ from: number; purchaseCost: Money | null }>;
}

/** The PoP's capacity at the same instant, for the unit costs (as `capacity` answers it, rounded). */
export interface UnitCostDenominators {
  usableKw: number;
  totalU: number;
  capacityMbps: number;
}

export interface PopCostFigures {
  popId: string;
  asOf: string;
  monthlyRecurring: Money[];
  byCategory: { category: CostCategory; monthlyRecurring: Money[] }[];
  oneOff: Money[];
  converted: Money | null;
  costPerUsableKw: Money | null;
  costPerU: Money | null;
  costPerMbps: Money | null;
}

export function popCostAt(pop: PopCostRecords, asOf: string, capacity: UnitCostDenominators | null): PopCostFigures {
  const t = instantMs(asOf, 'asOf');
  const active = (item: Interval) => item.from <= t && (item.to === null || t < item.to);
  const [monthStart, monthEnd] = monthOf(t);
  const inMonth = (at: number) => monthStart <= at && at < monthEnd;

  // Summed per (category, currency) first, as the read model's SQL does, then into the totals.
  const sums = new ExactSums();
  const recurring = (category: CostCategory, cost: Money | null | undefined) => {
    if (cost) sums.add(category, cost);
  };
  const ONE_OFF = 'ONE_OFF';
  const once = (cost: Money | null | undefined, at: number) => {
    if (cost && inMonth(at)) sums.add(ONE_OFF, cost);
  };

  for (const lease of Object.values(pop.leases)) {
    if (active(lease)) recurring('LEASE', lease.monthlyCost);
    once(lease.oneOffCost, lease.signedAt);
  }
  for (const feed of Object.values(pop.feeds)) {
    if (active(feed)) recurring('POWER', feed.monthlyCost);
    once(feed.oneOffCost, feed.from);
  }
  for (const circuit of Object.values(pop.circuits)) {
    if (active(circuit)) recurring('CONNECTIVITY', circuit.monthlyCost);
    once(circuit.oneOffCost, circuit.from);
  }
  const { from, purchaseCost } = pop.devices.columns;
  purchaseCost.forEach((cost, row) => once(cost, from[row]));
  if (pop.kind === 'VIRTUAL') {
    const closed = pop.transitions.find((transition) => transition.status === 'CLOSED');
    if (active({ from: pop.registeredAt, to: closed ? closed.at : null })) recurring('CLOUD', pop.profile.monthlyCost);
  }

  const total: CurrencyTotals = new Map();
  const oneOff: CurrencyTotals = new Map();
  const byCategory = new Map<CostCategory, CurrencyTotals>(COST_CATEGORIES.map((category) => [category, new Map()]));
  for (const { key, currency, amount } of sums.totals()) {
    if (key === ONE_OFF) {
      addTo(oneOff, currency, amount);
    } else {
      addTo(total, currency, amount);
      addTo(byCategory.get(key as CostCategory) as CurrencyTotals, currency, amount);
    }
  }

  // Unit costs need one currency: without conversion, the PoP's only one.
  const [single] = total.size === 1 ? [...total] : [];
  const per = (denominator: number | undefined): Money | null =>
    single && denominator ? money(single[1].dividedBy(new Decimal(denominator)), single[0]) : null;
  return {
    popId: pop.popId,
    asOf,
    monthlyRecurring: moneyList(total),
    byCategory: COST_CATEGORIES.map((category) => ({ category, monthlyRecurring: moneyList(byCategory.get(category) as CurrencyTotals) })),
    oneOff: moneyList(oneOff),
    converted: null,
    costPerUsableKw: per(capacity?.usableKw),
    costPerU: per(capacity?.totalU),
    costPerMbps: per(capacity?.capacityMbps),
  };
}

const SCALE = 10_000n;
const FOUR_DECIMALS = /^(\d{1,15})(?:\.(\d{1,4}))?$/;

/**
 * Exact sums of amounts per key and currency. Amounts have at most 4 decimals (docs/domain.md, "Cost
 * formulas"), so they add up as integers of ten-thousandths, far cheaper than a decimal per item; any
 * other amount is added as a decimal.
 */
class ExactSums {
  private readonly scaled = new Map<string, { key: string; currency: string; sum: bigint; rest: Decimal | null }>();

  add(key: string, { amount, currency }: Money): void {
    const id = `${key}\u0000${currency}`;
    let entry = this.scaled.get(id);
    if (!entry) this.scaled.set(id, (entry = { key, currency, sum: 0n, rest: null }));
    const match = FOUR_DECIMALS.exec(amount);
    if (match) entry.sum += BigInt(match[1]) * SCALE + BigInt((match[2] ?? '').padEnd(4, '0'));
    else entry.rest = (entry.rest ?? new Decimal(0)).plus(new Decimal(amount));
  }

  *totals(): Generator<{ key: string; currency: string; amount: Decimal }> {
    for (const { key, currency, sum, rest } of this.scaled.values()) {
      const scaled = new Decimal(sum.toString()).dividedBy(10_000);
      yield { key, currency, amount: rest ? scaled.plus(rest) : scaled };
    }
  }
}

/** [first instant of the UTC calendar month containing `t`, first instant of the next). */
function monthOf(t: number): [number, number] {
  const at = new Date(t);
  return [Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1), Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 1)];
}
