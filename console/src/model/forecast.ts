// A forecast chart's series: the utilization points the line was fitted on, the fitted line from the
// first point to the exhaustion date (or a year on), and the warning and critical levels.
import { DAY_MS } from '../../../src/kernel/time.util';

export interface ForecastNode {
  resource: 'SPACE_U' | 'POWER_KW' | 'BANDWIDTH_MBPS';
  currentUtilizationPercent: number;
  dailyGrowthPercent: number;
  exhaustsOn: string | null;
  criticalOn: string | null;
  basedOnPoints: number;
  points: Array<{ at: string; utilizationPercent: number }>;
  fittedNowPercent: number | null;
  warningPercent: number;
  criticalPercent: number;
}

export interface ForecastChart {
  /** x in seconds (uPlot's time scale), ascending. */
  x: number[];
  history: Array<number | null>;
  fitted: Array<number | null>;
  warning: number[];
  critical: number[];
}

/**
 * `now` is the instant the forecast was made for. The fitted line is y = fittedNowPercent +
 * dailyGrowthPercent × (days from now); it is drawn from the first point to the exhaustion date, or to
 * 365 days after now when the line never reaches 100 %.
 */
export function forecastChart(forecast: ForecastNode, now: string): ForecastChart {
  const nowMs = Date.parse(now);
  const pointMs = forecast.points.map((point) => Date.parse(point.at));
  const endMs = forecast.exhaustsOn ? Math.max(Date.parse(`${forecast.exhaustsOn}T00:00:00Z`), nowMs) : nowMs + 365 * DAY_MS;
  const startMs = pointMs.length > 0 ? pointMs[0] : nowMs - 365 * DAY_MS;
  const xs = [...new Set([...pointMs, startMs, nowMs, endMs])].sort((a, b) => a - b);
  const line = (ms: number): number | null =>
    forecast.fittedNowPercent === null ? null : round2(forecast.fittedNowPercent + (forecast.dailyGrowthPercent * (ms - nowMs)) / DAY_MS);
  const historyAt = new Map(forecast.points.map((point) => [Date.parse(point.at), point.utilizationPercent]));
  return {
    x: xs.map((ms) => ms / 1000),
    history: xs.map((ms) => historyAt.get(ms) ?? null),
    fitted: xs.map((ms) => (ms >= startMs ? line(ms) : null)),
    warning: xs.map(() => forecast.warningPercent),
    critical: xs.map(() => forecast.criticalPercent),
  };
}

const round2 = (value: number) => Math.round(value * 100) / 100;
