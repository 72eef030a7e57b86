import { useEffect, useMemo, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { JobExecution } from '../../../src-main/contract';
import { averageScore, isAuditResult } from './audit-findings';
import { formatLocal } from './job-format';

interface Point {
  at: string;
  score: number;
}

/** Succeeded audits, oldest first, with their mean page score. */
function scorePoints(executions: readonly JobExecution[]): Point[] {
  const points: Point[] = [];
  for (const e of executions) {
    if (e.status !== 'succeeded' || !isAuditResult(e.result)) continue;
    const score = averageScore(e.result);
    if (score !== null) points.push({ at: e.startedAt ?? e.queuedAt, score });
  }
  return points.reverse();
}

/** The CSS variable's current value (the chart is drawn on a canvas, which CSS does not reach). */
const cssVar = (el: Element, name: string, fallback: string) => getComputedStyle(el).getPropertyValue(name).trim() || fallback;

/**
 * The mean page score of each past audit run (uPlot: a canvas chart of a few KB that draws
 * thousands of points in a frame). A canvas says nothing to a screen reader, so the same numbers
 * are a visually hidden table, and the figure's name sums them up.
 */
export function ScoreTrend({ executions }: { executions: readonly JobExecution[] }) {
  const points = useMemo(() => scorePoints(executions), [executions]);
  const box = useRef<HTMLDivElement>(null);
  const key = points.map((p) => `${p.at}:${p.score}`).join();

  useEffect(() => {
    const el = box.current;
    if (!el || points.length < 2) return;
    let plot: uPlot | null = null;
    // Colours come from the theme's CSS variables, read when drawn: a theme switch draws it again.
    const draw = () => {
      plot?.destroy();
      const text = cssVar(el, '--text-muted', '#666');
      const accent = cssVar(el, '--accent', '#6366f1');
      const grid = cssVar(el, '--border', '#ddd');
      const axis = { stroke: text, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
      plot = new uPlot(
        {
          width: Math.max(240, el.clientWidth),
          height: 160,
          legend: { show: false },
          cursor: { drag: { x: false, y: false } },
          scales: { x: { time: true }, y: { range: [0, 100] } },
          axes: [axis, { ...axis, size: 36 }],
          series: [{}, { label: 'Score', stroke: accent, width: 2, points: { show: true, size: 6, fill: accent } }],
        },
        [points.map((p) => new Date(p.at).getTime() / 1000), points.map((p) => p.score)],
        el,
      );
    };
    draw();
    const resize = new ResizeObserver(() => plot?.setSize({ width: Math.max(240, el.clientWidth), height: 160 }));
    resize.observe(el);
    const theme = new MutationObserver(draw);
    theme.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
    return () => {
      resize.disconnect();
      theme.disconnect();
      plot?.destroy();
    };
    // Redrawn only when the points change, not on every progress event of a running audit.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);

  if (points.length < 2) return null;
  const first = points[0]!;
  const last = points[points.length - 1]!;
  const summary = `Score trend over ${points.length} audits: from ${first.score} to ${last.score} (latest ${formatLocal(last.at)})`;
  return (
    <figure className="score-trend" aria-label={summary}>
      <figcaption>Score over past audits</figcaption>
      <div ref={box} className="score-trend-chart" aria-hidden="true" />
      <table className="sr-only">
        <caption>{summary}</caption>
        <thead>
          <tr>
            <th scope="col">Run</th>
            <th scope="col">Mean score</th>
          </tr>
        </thead>
        <tbody>
          {points.map((p) => (
            <tr key={p.at}>
              <td>{formatLocal(p.at)}</td>
              <td>{p.score}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
