// ECharts, only the parts the dashboard draws (tree-shaken): imported dynamically by DashboardView, so it
// is a chunk of its own that only the console's dashboard page fetches.
import * as echarts from 'echarts/core'
import { BarChart, LineChart } from 'echarts/charts'
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components'
import { CanvasRenderer } from 'echarts/renderers'

echarts.use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer])

export interface Drawn { dispose(): void }

export function trendChart(el: HTMLElement, weeks: string[], series: { name: string; values: number[] }[]): Drawn {
  const chart = echarts.init(el)
  chart.setOption({
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 40, right: 16, top: 36, bottom: 28 },
    xAxis: { type: 'category', data: weeks.map((w) => w.slice(5)) },
    yAxis: { type: 'value', minInterval: 1 },
    series: series.map((s) => ({ name: s.name, type: 'line', smooth: true, data: s.values })),
  })
  return chart
}

export function coverageChart(el: HTMLElement, rows: { label: string; rate: number | null }[]): Drawn {
  const chart = echarts.init(el)
  chart.setOption({
    tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => `${Number(v).toFixed(1)}%` },
    grid: { left: 40, right: 16, top: 16, bottom: 60 },
    xAxis: { type: 'category', data: rows.map((r) => r.label), axisLabel: { rotate: 40 } },
    yAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } },
    series: [{ type: 'bar', data: rows.map((r) => (r.rate === null ? 0 : Math.round(r.rate * 1000) / 10)), itemStyle: { color: '#c8102e' } }],
  })
  return chart
}
