import { DAY_MS, dateOf, instantMs } from '../../kernel/time.util';
import { CapacityThresholds, round4 } from './capacity.math';

/**
 * Capacity forecast (docs/domain.md, "Capacity formulas"): a least-squares line through the utilization at each
 * change point of the last 365 days up to `now`, x in days. The line's crossing of 100 % is
 * `exhaustsOn`, of the critical threshold `criticalOn`; a level already reached now gives today,
 * a flat or falling line (or fewer than 2 points) gives null. A crossing the line places in the
 * past while the actual utilization is still below is reported as today too.
 */

export interface UtilizationPoint {
  at: string;
  utilizationPercent: number;
}

export interface CapacityForecastFigures {
  currentUtilizationPercent: number;
  dailyGrowthPercent: number;
  exhaustsOn: string | null;
  criticalOn: string | null;
  basedOnPoints: number;
}

const WINDOW_DAYS = 365;
/** The last instant a JavaScript Date can hold; a crossing beyond it is never. */
const MAX_DATE_MS = 8.64e15;

interface Line {
  slope: number;
  /** The line's value now (x = 0). */
  intercept: number;
}

export function forecast(points: readonly UtilizationPoint[], now: string, thresholds: CapacityThresholds): CapacityForecastFigures {
  const nowMs = instantMs(now, 'now');
  const { current, window, line } = trend(points, nowMs);

  const crossing = (level: number): string | null => {
    if (current >= level) return dateOf(nowMs);
    if (line === null || line.slope <= 0) return null;
    const at = nowMs + Math.max(0, (level - line.intercept) / line.slope) * DAY_MS;
    return at <= MAX_DATE_MS ? dateOf(at) : null;
  };

  return {
    currentUtilizationPercent: round4(current),
    dailyGrowthPercent: round4(line?.slope ?? 0),
    exhaustsOn: crossing(100),
    criticalOn: crossing(thresholds.criticalPercent),
    basedOnPoints: window.length,
  };
}

/** What a chart of the forecast draws: the points the line was fitted on and the line's value now. */
export interface ForecastSeries {
  points: UtilizationPoint[];
  /** null when there is no line (fewer than 2 points, or all at one instant). */
  fittedNowPercent: number | null;
}

export function forecastSeries(points: readonly UtilizationPoint[], now: string): ForecastSeries {
  const nowMs = instantMs(now, 'now');
  const { window, line } = trend(points, nowMs);
  return {
    points: window.map((point) => ({ at: point.at, utilizationPercent: point.y })),
    fittedNowPercent: line === null ? null : round4(line.intercept),
  };
}

/** The past points (x in days before now, ascending), the current level, the window's points and their line. */
function trend(points: readonly UtilizationPoint[], nowMs: number) {
  const past = points
    .map((point) => ({ at: point.at, x: (instantMs(point.at, 'at') - nowMs) / DAY_MS, y: point.utilizationPercent }))
    .filter((point) => point.x <= 0)
    .sort((a, b) => a.x - b.x);
  const current = past.length > 0 ? past[past.length - 1].y : 0;
  const window = past.filter((point) => point.x >= -WINDOW_DAYS);
  return { current, window, line: leastSquares(window) };
}

function leastSquares(points: readonly { x: number; y: number }[]): Line | null {
  if (points.length < 2) return null;
  const meanX = points.reduce((total, point) => total + point.x, 0) / points.length;
  const meanY = points.reduce((total, point) => total + point.y, 0) / points.length;
  let covariance = 0;
  let variance = 0;
  for (const point of points) {
    covariance += (point.x - meanX) * (point.y - meanY);
    variance += (point.x - meanX) ** 2;
  }
  if (variance === 0) return null;
  const slope = covariance / variance;
  return { slope, intercept: meanY - slope * meanX };
}
