// uPlot charts: a forecast (history points, fitted line, warning and critical levels) and a bar-like
// line of cost groups. uPlot draws on a canvas; the figures are also in the tables next to it.
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { ForecastChart } from '../model/forecast';

export function ForecastPlot(props: { chart: ForecastChart; title: string }) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!host.current) return;
    const { chart } = props;
    const plot = new uPlot(
      {
        title: props.title,
        width: Math.min(560, host.current.clientWidth || 560),
        height: 220,
        scales: { y: { range: () => [0, Math.max(110, ...chart.history.map((v) => v ?? 0))] } },
        axes: [{}, { values: (_u, ticks) => ticks.map((tick) => `${tick} %`) }],
        series: [
          { label: 'Date (UTC)', value: (_u, v) => (v === null ? '–' : new Date(v * 1000).toISOString().slice(0, 10)) },
          { label: 'History', stroke: '#1f5fbf', width: 0, points: { show: true, size: 7, fill: '#1f5fbf' } },
          { label: 'Fitted growth', stroke: '#6b7280', dash: [6, 4], spanGaps: true },
          { label: 'Warning', stroke: '#d97706' },
          { label: 'Critical', stroke: '#dc2626' },
        ],
        legend: { live: false },
      },
      [chart.x, chart.history, chart.fitted, chart.warning, chart.critical],
      host.current,
    );
    return () => plot.destroy();
  }, [props.chart, props.title]);
  return <div class="chart" ref={host} />;
}

export function BarPlot(props: { labels: string[]; values: number[]; unit: string }) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!host.current) return;
    const bars = uPlot.paths.bars?.({ size: [0.6, 60] });
    const plot = new uPlot(
      {
        width: Math.min(720, host.current.clientWidth || 720),
        height: 240,
        scales: { x: { time: false } },
        axes: [{ values: (_u, ticks) => ticks.map((tick) => props.labels[tick] ?? '') }, { values: (_u, ticks) => ticks.map((tick) => `${tick} ${props.unit}`), size: 80 }],
        series: [{ label: 'Group' }, { label: `Monthly (${props.unit})`, fill: '#1f5fbf99', stroke: '#1f5fbf', paths: bars }],
        legend: { show: false },
      },
      [props.labels.map((_, index) => index), props.values],
      host.current,
    );
    return () => plot.destroy();
  }, [props.labels, props.values, props.unit]);
  return <div class="chart" ref={host} />;
}
