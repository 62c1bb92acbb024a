import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

export interface Metric {
  value: number | null;
  unit: string;
  /** null: reported only, no target. */
  target: number | null;
  better: 'higher' | 'lower';
  /** `failed`: its section ran and failed (the note says why); `not measured`: no part of this run measured it. */
  status: 'measured' | 'failed' | 'not measured';
  /** Conditions worth knowing when reading the value (sizes, modes, failures). */
  note?: string;
}

type MetricSpec = Pick<Metric, 'unit' | 'target' | 'better'>;

const higher = (unit: string, target: number | null): MetricSpec => ({ unit, target, better: 'higher' });
const lower = (unit: string, target: number | null): MetricSpec => ({ unit, target, better: 'lower' });

/**
 * Every performance metric of docs/operations.md, "Performance", with its target (the product's
 * section 12, word for word); every run reports all of them, measured, failed or not measured.
 */
export const METRICS = {
  commands_per_s_pg: higher('commands/s', 1_500),
  command_p99_ms_pg: lower('ms', 50),
  commands_per_s_pglite: higher('commands/s', 800),
  commands_not_projected: lower('answers', 0),
  /** Against the KurrentDB double of the tests, not a real server: reported, no target. */
  commands_per_s_esdb: higher('commands/s', null),
  rebuild_events_per_s_pg: higher('events/s', 50_000),
  rebuild_peak_rss_mb: lower('MB', 600),
  rebuild_10m_s: lower('s', 240),
  rebuild_10m_peak_rss_mb: lower('MB', 600),
  capacity_p99_ms: lower('ms', 5),
  capacity_racks_p99_ms: lower('ms', 10),
  capacity_queries_per_s_16: higher('queries/s', 3_000),
  find_capacity_p99_ms: lower('ms', 25),
  cost_summary_p99_ms: lower('ms', 25),
  residency_report_ms: lower('ms', 250),
  residency_csv_100k_ms: lower('ms', 1_000),
  procurement_records_per_s: higher('records/s', 15_000),
  scenario_eval_p99_ms: lower('ms', 50),
  outbound_lag_p99_ms: lower('ms', 250),
  /** Not in the product's table: the project's own bound on what one webhook subscription may cost. */
  outbound_command_rate_ratio: higher('ratio', 0.9),
  migrate_events_per_s: higher('events/s', 20_000),
  long_stream_command_ratio: lower('ratio', 1.5),
  backdated_command_ratio: lower('ratio', 1.5),
  soak_throughput_ratio: higher('ratio', 0.95),
  soak_p99_ratio: lower('ratio', 1.5),
  soak_rss_growth_ratio: lower('ratio', 1.2),
  append_vs_emmett_ratio: higher('ratio', 1.5),
  read_vs_emmett_ratio: higher('ratio', 1.5),
  append_fraction_of_raw_insert: higher('ratio', null),
  console_network_view_ms: lower('ms', 1_000),
  /** The console's JavaScript, gzipped: an aim, not a contract figure. */
  console_js_gzip_kb: lower('KB', 300),
} as const satisfies Record<string, MetricSpec>;

export type MetricName = keyof typeof METRICS;

export function met(metric: Metric): boolean | null {
  if (metric.value === null || metric.target === null) return null;
  return metric.better === 'higher' ? metric.value >= metric.target : metric.value <= metric.target;
}

/** The "met" column: yes / NO against the target, FAILED for a failed section, - when not measured. */
export function verdict(metric: Metric): string {
  if (metric.status === 'failed') return 'FAILED';
  if (metric.status === 'not measured') return '-';
  const ok = met(metric);
  return ok === null ? 'reported' : ok ? 'yes' : 'NO';
}

export function targetText(metric: Pick<Metric, 'target' | 'better'>): string {
  return metric.target === null ? 'reported' : `${metric.better === 'higher' ? '≥' : '≤'} ${metric.target.toLocaleString('en')}`;
}

export class BenchResults {
  readonly metrics = {} as Record<MetricName, Metric>;

  constructor(readonly mode: 'quick' | 'full') {
    for (const [name, spec] of Object.entries(METRICS) as Array<[MetricName, MetricSpec]>) {
      this.metrics[name] = { ...spec, value: null, status: 'not measured', note: 'not measured in this run' };
    }
  }

  record(name: MetricName, value: number, note?: string): void {
    this.metrics[name] = { ...METRICS[name], value: round(value), status: 'measured', ...(note ? { note } : {}) };
    console.log(`  ${name} = ${round(value)} ${METRICS[name].unit}${note ? ` (${note})` : ''}`);
  }

  /** The metric measured once more at another size: the worse value counts (its target holds at every size), both in the note. */
  recordAgain(name: MetricName, value: number, note: string): void {
    const before = this.metrics[name];
    if (before.status !== 'measured' || before.value === null) return this.record(name, value, note);
    const worse = before.better === 'higher' ? Math.min(before.value, value) : Math.max(before.value, value);
    this.record(name, worse, `worse of: ${round(value)} (${note}) | ${before.value} (${before.note ?? ''})`);
  }

  /** Not measured in this run, and why (a full-bench-only metric in a quick run, say). */
  skip(name: MetricName, reason: string): void {
    if (this.metrics[name].status === 'not measured') this.metrics[name].note = reason;
  }

  /**
   * A section failed: its metrics are reported as failed, with the reason; a value measured before
   * the failure (at another size, say) stays, the failure counts.
   */
  fail(names: readonly MetricName[], error: unknown): void {
    const reason = `failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`;
    for (const name of names) {
      const metric = this.metrics[name];
      const before = metric.status === 'measured' ? ` (measured before the failure: ${metric.note ?? ''})` : '';
      this.metrics[name] = { ...metric, status: 'failed', note: `${reason}${before}` };
    }
    console.log(`  ${names.join(', ')}: ${reason}`);
  }

  table(): string {
    const rows = (Object.entries(this.metrics) as Array<[MetricName, Metric]>).map(([name, m]) => [name, m.value === null ? '-' : String(m.value), m.unit, targetText(m), verdict(m)]);
    const header = ['metric', 'value', 'unit', 'target', 'met'];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    const line = (cells: string[]) => cells.map((c, i) => (i === 1 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ');
    return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
  }

  async write(path: string, machine: object, extra: object): Promise<void> {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, `${JSON.stringify({ machine, metrics: this.metrics, mode: this.mode, ...extra }, null, 2)}\n`);
  }
}

function round(value: number): number {
  return Math.abs(value) >= 100 ? Math.round(value) : Math.round(value * 1000) / 1000;
}
