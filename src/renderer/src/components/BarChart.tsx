import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

interface Props {
  /** What the chart shows, for screen readers (the numbers are in the table beside it). */
  label: string;
  /** One label per bar. */
  categories: string[];
  values: number[];
  /** A CSS custom property of the theme, like '--accent'. */
  colorVar?: string;
  height?: number;
}

const cssVar = (name: string) => getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#3b82f6';

/** Bars drawn with uPlot, in the theme's colours, as wide as its box. */
export function BarChart({ label, categories, values, colorVar = '--accent', height = 160 }: Props) {
  const box = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const text = cssVar('--muted');
    const grid = cssVar('--line');
    const color = cssVar(colorVar);
    const chart = new uPlot(
      {
        width: Math.max(200, el.clientWidth),
        height,
        legend: { show: false },
        cursor: { show: false },
        scales: { x: { time: false, range: [-0.5, categories.length - 0.5] }, y: { range: (_u, _min, max) => [0, Math.max(1, max)] } },
        axes: [
          { stroke: text, grid: { show: false }, ticks: { show: false }, values: (_u, ticks) => ticks.map((t) => (Number.isInteger(t) ? (categories[t] ?? '') : '')) },
          { stroke: text, grid: { stroke: grid, width: 1 }, ticks: { show: false }, values: (_u, ticks) => ticks.map((t) => (Number.isInteger(t) ? String(t) : '')) },
        ],
        series: [{}, { label, fill: color, stroke: color, width: 0, paths: uPlot.paths.bars!({ size: [0.7, 48] }), points: { show: false } }],
      },
      [categories.map((_, i) => i), values],
      el,
    );
    const resize = new ResizeObserver(() => chart.setSize({ width: Math.max(200, el.clientWidth), height }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      chart.destroy();
    };
  }, [categories, values, colorVar, height, label]);

  return <div ref={box} className="bar-chart" role="img" aria-label={label} />;
}
