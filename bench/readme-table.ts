import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { METRICS, targetText, verdict, type Metric, type MetricName } from './results';
import type { Machine } from './machine';

/** The build's output directory is <repo>/dist: the repository root is two levels above this file. */
const ROOT = join(__dirname, '..', '..');
const START = '<!-- bench-table:start (npm run bench:readme writes this part from bench/results/latest.json) -->';
const END = '<!-- bench-table:end -->';

interface Results {
  machine: Machine & { loadAverageAtEnd?: number };
  metrics: Partial<Record<MetricName, Metric>>;
  mode: 'quick' | 'full';
  durationS: number;
  finishedAt: string;
}

/**
 * `npm run bench:readme [-- results.json]`: rewrites the README's performance table from a bench
 * result file (bench/results/latest.json by default), between its markers, so that the figures
 * shown are always one run's, with the machine and the date they were measured on.
 */
async function main(): Promise<void> {
  const file = process.argv[2] ?? join(ROOT, 'bench', 'results', 'latest.json');
  const results = JSON.parse(await readFile(file, 'utf8')) as Results;
  const readmePath = join(ROOT, 'README.md');
  const readme = await readFile(readmePath, 'utf8');
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) throw new Error(`README.md has no performance table markers (${START} … ${END})`);
  await writeFile(readmePath, `${readme.slice(0, start + START.length)}\n${renderTable(results)}\n${readme.slice(end)}`);
  console.log(`README.md: performance table of the ${results.mode} run finished ${results.finishedAt}`);
}

function renderTable(results: Results): string {
  const { machine: m } = results;
  const lines = [
    `Measured by \`npm run bench${results.mode === 'quick' ? ' -- --quick' : ''}\` (${results.mode} sizes, ${Math.round(results.durationS)} s), finished ${results.finishedAt}, ` +
      `on ${m.cpus} × ${m.cpuModel}, ${m.memoryMb.toLocaleString('en')} MB, ${m.os}, Node ${m.node}, ${m.pg?.split(' on ')[0] ?? 'no PostgreSQL server'}; ` +
      `load average ${m.loadAverage} at the start${m.loadAverageAtEnd === undefined ? '' : `, ${m.loadAverageAtEnd} at the end`} (other work on the machine slows every figure).`,
    '',
    '| metric | value | target | met | conditions |',
    '|---|---|---|---|---|',
  ];
  for (const name of Object.keys(METRICS) as MetricName[]) {
    const metric: Metric = results.metrics[name] ?? { ...METRICS[name], value: null, status: 'not measured', note: 'not in this result file' };
    const value = metric.value === null ? '–' : `${metric.value.toLocaleString('en')} ${metric.unit}`;
    lines.push(`| \`${name}\` | ${value} | ${targetText(metric)} | ${verdict(metric)} | ${cell(metric.note ?? '')} |`);
  }
  return lines.join('\n');
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
}

main().catch((error: unknown) => {
  console.error(`bench:readme failed: ${(error as Error).message}`);
  process.exit(1);
});
