import { useEffect, useRef } from 'react';
import { init, use, type ComposeOption } from 'echarts/core';
import { BarChart, type BarSeriesOption } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent, type GridComponentOption, type LegendComponentOption, type TooltipComponentOption } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

// Only what the visit summary draws: stacked horizontal bars with axes, legend and tooltip.
use([BarChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

type Option = ComposeOption<BarSeriesOption | GridComponentOption | LegendComponentOption | TooltipComponentOption>;

export interface Bar {
  name: string;
  overdue: number;
  dueSoon: number;
}

/** Overdue (red) and due-soon (orange) per village or worker; follows the container's width. */
export function SummaryChart({ bars, labels, testId }: { bars: Bar[]; labels: { overdue: string; dueSoon: string }; testId?: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const height = Math.max(120, 40 + bars.length * 34);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const chart = init(el, undefined, { renderer: 'canvas' });
    const option: Option = {
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      legend: { top: 0, data: [labels.overdue, labels.dueSoon] },
      grid: { left: 8, right: 16, top: 28, bottom: 8, containLabel: true },
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: { type: 'category', data: bars.map((b) => b.name), inverse: true },
      series: [
        { name: labels.overdue, type: 'bar', stack: 'n', data: bars.map((b) => b.overdue), itemStyle: { color: '#cf1322' }, barMaxWidth: 22 },
        { name: labels.dueSoon, type: 'bar', stack: 'n', data: bars.map((b) => b.dueSoon), itemStyle: { color: '#d46b08' }, barMaxWidth: 22 },
      ],
    };
    chart.setOption(option);
    const ro = new ResizeObserver(() => chart.resize());
    ro.observe(el);
    return () => {
      ro.disconnect();
      chart.dispose();
    };
  }, [bars, labels]);
  return <div ref={ref} style={{ width: '100%', height }} data-testid={testId} role="img" aria-label={`${labels.overdue} / ${labels.dueSoon}`} />;
}
