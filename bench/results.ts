import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

export interface Metric {
  value: number | null;
  unit: string;
  /** null: reported only, no target. */
  target: number | null;
  better: 'higher' | 'lower';
  /** Conditions worth knowing when reading the value (sizes, modes, failures). */
  note?: string;
}

/** The docs/operations.md, "Performance" metrics, with their targets; every run reports all of them. */
export const METRICS: Readonly<Record<string, Omit<Metric, 'value' | 'note'>>> = {
  commands_per_s_pg: { unit: 'commands/s', target: 1_500, better: 'higher' },
  command_p99_ms_pg: { unit: 'ms', target: 50, better: 'lower' },
  commands_per_s_pglite: { unit: 'commands/s', target: 800, better: 'higher' },
  rebuild_events_per_s_pg: { unit: 'events/s', target: 50_000, better: 'higher' },
  rebuild_peak_rss_mb: { unit: 'MB', target: 600, better: 'lower' },
  capacity_p99_ms: { unit: 'ms', target: 10, better: 'lower' },
  find_capacity_p99_ms: { unit: 'ms', target: 100, better: 'lower' },
  cost_summary_p99_ms: { unit: 'ms', target: 100, better: 'lower' },
  residency_report_ms: { unit: 'ms', target: 500, better: 'lower' },
  scenario_eval_p99_ms: { unit: 'ms', target: 50, better: 'lower' },
  procurement_records_per_s: { unit: 'records/s', target: 5_000, better: 'higher' },
  long_stream_command_ratio: { unit: 'ratio', target: 1.5, better: 'lower' },
  backdated_command_ratio: { unit: 'ratio', target: 1.5, better: 'lower' },
  /** Full bench only: the last 30-s window of a 10-minute soak ÷ the first settled one. */
  soak_throughput_ratio: { unit: 'ratio', target: 0.95, better: 'higher' },
  soak_p99_ratio: { unit: 'ratio', target: 1.5, better: 'lower' },
  soak_rss_growth_ratio: { unit: 'ratio', target: 1.2, better: 'lower' },
  append_vs_emmett_ratio: { unit: 'ratio', target: 1, better: 'higher' },
  read_vs_emmett_ratio: { unit: 'ratio', target: 1, better: 'higher' },
  append_fraction_of_raw_insert: { unit: 'ratio', target: null, better: 'higher' },
  outbound_lag_p99_ms: { unit: 'ms', target: 250, better: 'lower' },
  outbound_command_rate_ratio: { unit: 'ratio', target: 0.9, better: 'higher' },
  migrate_events_per_s: { unit: 'events/s', target: 20_000, better: 'higher' },
  /** Against the KurrentDB double of the tests, not a real server: reported, no target. */
  commands_per_s_esdb: { unit: 'commands/s', target: null, better: 'higher' },
};

export function met(metric: Metric): boolean | null {
  if (metric.value === null || metric.target === null) return null;
  return metric.better === 'higher' ? metric.value >= metric.target : metric.value <= metric.target;
}

export class BenchResults {
  readonly metrics: Record<string, Metric> = {};

  constructor(readonly mode: 'quick' | 'full') {
    for (const [name, spec] of Object.entries(METRICS)) this.metrics[name] = { ...spec, value: null, note: 'not measured' };
  }

  record(name: keyof typeof METRICS, value: number, note?: string): void {
    this.metrics[name] = { ...METRICS[name], value: round(value), ...(note ? { note } : {}) };
    console.log(`  ${name} = ${round(value)} ${METRICS[name].unit}${note ? ` (${note})` : ''}`);
  }

  /** A section failed: its metrics stay null and say why. */
  fail(names: ReadonlyArray<keyof typeof METRICS>, error: unknown): void {
    const reason = `failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`;
    for (const name of names) if (this.metrics[name].value === null) this.metrics[name].note = reason;
    console.log(`  ${names.join(', ')}: ${reason}`);
  }

  table(): string {
    const rows = Object.entries(this.metrics).map(([name, m]) => {
      const ok = met(m);
      return [name, m.value === null ? '-' : String(m.value), m.unit, m.target === null ? 'reported' : `${m.better === 'higher' ? '≥' : '≤'} ${m.target}`, ok === null ? (m.value === null ? 'n/a' : '-') : ok ? 'yes' : 'NO'];
    });
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
