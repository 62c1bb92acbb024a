import { popUsableKw, rackUsableKw, round4 } from './capacity.math';
import { RuleCode, RuleViolationError } from '../../kernel/domain.errors';
import { scan, StepChange } from '../../kernel/step-timeline.util';
import { isoOf } from '../../kernel/time.util';
import { PopAggregate, POP_METRIC_SET, PopMetric, popTotalsOf, PopTotals, rackMetricSet, RackMetric, RackRecord, rackTotalsOf } from './pop.state';

/**
 * The effective-time invariants. A new event is inserted at its effective time and every later
 * instant it changes is re-checked, on the timelines `evolve` keeps: the scan visits only the
 * changed intervals, and in them skips the blocks of points whose invariant margins (pop.state.ts)
 * stay clear of zero, so a back-dated or planned fact cannot make any moment invalid and costs
 * O(√n) in the n points of a long history, not O(n).
 */

/** Tolerance for float sums (kW from √3 and derating factors). */
const EPSILON = 1e-6;

interface Breach {
  rule: RuleCode;
  message: string;
}

/** POWER_EXCEEDED when the rack's device draw would exceed its usable power at any changed instant. */
export function assertRackPower(rack: RackRecord, changes: readonly StepChange<RackMetric>[]): void {
  const breach = scan(rack.timeline, rackMetricSet(rack.maxPowerKw), changes, (at, _before, after) => {
    const totals = rackTotalsOf(after);
    const usable = rackUsableKw(totals, rack.maxPowerKw);
    return totals.drawKw > usable + EPSILON ? `rack ${rack.rackId} would draw ${num(totals.drawKw)} kW of ${num(usable)} kW usable at ${isoOf(at)}` : undefined;
  });
  if (breach) throw new RuleViolationError('POWER_EXCEEDED', breach);
}

/**
 * Checks the PoP-wide invariants at every changed instant. A new reservation is reported as
 * RESERVATION_EXCEEDED whatever the resource, with `reservation` describing it.
 */
export function assertPopInvariants(pop: PopAggregate, changes: readonly StepChange<PopMetric>[], reservation?: string): void {
  const breach = scan(pop.timeline, POP_METRIC_SET, changes, (at, _before, after) => popBreach(pop.popId, popTotalsOf(after), at));
  if (!breach) return;
  if (reservation) throw new RuleViolationError('RESERVATION_EXCEEDED', `${reservation} does not fit: ${breach.message}`);
  throw new RuleViolationError(breach.rule, breach.message);
}

interface PopInvariant {
  rule: RuleCode;
  broken(v: PopTotals): boolean;
  describe(popId: string, v: PopTotals, when: string): string;
}

const usableKwOf = (v: PopTotals) => popUsableKw(v.racksUsableKw, v.contractedKw, v.contractLeases);

const POP_INVARIANTS: readonly PopInvariant[] = [
  {
    rule: 'POWER_EXCEEDED',
    broken: (v) => v.allocatedKw + v.reservedKw > usableKwOf(v) + EPSILON,
    describe: (popId, v, when) => {
      const cap = v.contractLeases > 0 ? ` (racks ${num(v.racksUsableKw)} kW, leases' contracted power ${num(v.contractedKw)} kW)` : '';
      return `PoP ${popId} would allocate ${num(v.allocatedKw)} kW and reserve ${num(v.reservedKw)} kW of ${num(usableKwOf(v))} kW usable${cap} at ${when}`;
    },
  },
  {
    rule: 'SPACE_EXCEEDED',
    broken: (v) => v.usedU + v.reservedU > v.totalU + EPSILON,
    describe: (popId, v, when) => `PoP ${popId} would use ${num(v.usedU)} U and reserve ${num(v.reservedU)} U of ${num(v.totalU)} U at ${when}`,
  },
  {
    rule: 'BANDWIDTH_EXCEEDED',
    broken: (v) => v.reservedMbps > v.capacityMbps + EPSILON,
    describe: (popId, v, when) => `PoP ${popId} would reserve ${num(v.reservedMbps)} Mbps of ${num(v.capacityMbps)} Mbps circuit capacity at ${when}`,
  },
  {
    rule: 'RACK_LIMIT',
    broken: (v) => v.rackLimitLeases > 0 && v.racks > v.rackLimit,
    describe: (popId, v, when) => `PoP ${popId} would have ${v.racks} racks where its active leases allow ${v.rackLimit}, at ${when}`,
  },
];

function popBreach(popId: string, v: PopTotals, at: number): Breach | undefined {
  const invariant = POP_INVARIANTS.find((candidate) => candidate.broken(v));
  return invariant && { rule: invariant.rule, message: invariant.describe(popId, v, isoOf(at)) };
}

function num(value: number): string {
  return String(round4(value));
}
