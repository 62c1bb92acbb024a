import { FeedPhase } from './pop.enums';

/** The fixed capacity formulas of docs/domain.md, "Capacity formulas"; clients check these numbers. */

export const CAPACITY_STATUSES = ['OK', 'WARNING', 'CRITICAL'] as const;
export type CapacityStatus = (typeof CAPACITY_STATUSES)[number];

export interface CapacityThresholds {
  warnPercent: number;
  criticalPercent: number;
}

export interface FeedRating {
  phase: FeedPhase;
  voltage: number;
  amperage: number;
  deratingPercent: number;
  powerFactor: number;
}

/** Σ of a rack's feeds per side, with how many feeds each side has. */
export interface RackFeedTotals {
  aKw: number;
  bKw: number;
  aFeeds: number;
  bFeeds: number;
}

/** Answers carry floats rounded to 4 decimals (and never -0). */
export function round4(value: number): number {
  return Math.round(value * 1e4) / 1e4 + 0;
}

/** Three-phase voltage is line-to-line, hence √3. */
export function feedKw(feed: FeedRating): number {
  return (feed.voltage * feed.amperage * (feed.deratingPercent / 100) * feed.powerFactor * (feed.phase === 'THREE' ? Math.sqrt(3) : 1)) / 1000;
}

export function rackProvisionedKw(feeds: RackFeedTotals): number {
  return feeds.aKw + feeds.bKw;
}

/** Redundant: feeds on both sides, so the rack survives losing either side. */
export function isRedundant(feeds: RackFeedTotals): boolean {
  return feeds.aFeeds > 0 && feeds.bFeeds > 0;
}

export function rackUsableKw(feeds: RackFeedTotals, maxPowerKw: number | null): number {
  const usable = isRedundant(feeds) ? Math.min(feeds.aKw, feeds.bKw) : rackProvisionedKw(feeds);
  return maxPowerKw === null ? usable : Math.min(usable, maxPowerKw);
}

/** Σ racks' usable, capped by the active leases' contracted power when at least one lease sets it. */
export function popUsableKw(racksUsableKw: number, contractedKw: number, contractingLeases: number): number {
  return contractingLeases > 0 ? Math.min(racksUsableKw, contractedKw) : racksUsableKw;
}

/** A zero capacity with demand is reported as 100 (full), without demand as 0. */
export function utilizationPercent(demand: number, capacity: number): number {
  if (capacity > 0) return (demand / capacity) * 100;
  return demand > 0 ? 100 : 0;
}

/** Compared on the rounded utilization, so that a reported 70 is a WARNING at warn = 70. */
export function capacityStatus(utilization: number, thresholds: CapacityThresholds): CapacityStatus {
  const percent = round4(utilization);
  if (percent >= thresholds.criticalPercent) return 'CRITICAL';
  if (percent >= thresholds.warnPercent) return 'WARNING';
  return 'OK';
}

export function worstStatus(statuses: readonly CapacityStatus[]): CapacityStatus {
  return statuses.reduce<CapacityStatus>((worst, status) => (CAPACITY_STATUSES.indexOf(status) > CAPACITY_STATUSES.indexOf(worst) ? status : worst), 'OK');
}
