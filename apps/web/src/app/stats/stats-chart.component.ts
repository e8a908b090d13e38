import { ChangeDetectionStrategy, Component, DestroyRef, type ElementRef, computed, effect, inject, input, viewChild } from '@angular/core';
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { type ComposeOption, type ECharts, init, use } from 'echarts/core';
import type { BarSeriesOption, LineSeriesOption } from 'echarts/charts';
import type { GridComponentOption, LegendComponentOption, TooltipComponentOption } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';

// Only the parts the dashboard draws, with the SVG renderer (ADR 0040).
use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, SVGRenderer]);

export type StatsChartOption = ComposeOption<BarSeriesOption | LineSeriesOption | GridComponentOption | LegendComponentOption | TooltipComponentOption>;

/**
 * One chart of the dashboard. Hidden from screen readers: the table that follows it holds the
 * same numbers, and says so (ADR 0040).
 */
@Component({
  selector: 'gch-stats-chart',
  changeDetection: ChangeDetectionStrategy.OnPush,
  // data-series: the drawn numbers, for the browser test that checks the chart against its table.
  template: `<div #host class="gch-stats-chart" aria-hidden="true" [attr.data-series]="drawn()"></div>`,
  styles: `
    .gch-stats-chart {
      width: 100%;
      height: 280px;
    }
  `,
})
export class StatsChartComponent {
  readonly option = input.required<StatsChartOption>();
  protected readonly drawn = computed(() => {
    const series = this.option().series;
    return JSON.stringify((Array.isArray(series) ? series : series ? [series] : []).map((s) => s.data));
  });
  private readonly host = viewChild.required<ElementRef<HTMLDivElement>>('host');
  private chart: ECharts | undefined;

  constructor() {
    const resize = () => this.chart?.resize();
    effect(() => {
      const option = this.option();
      this.chart ??= init(this.host().nativeElement, undefined, { renderer: 'svg' });
      this.chart.setOption(option, true);
    });
    window.addEventListener('resize', resize);
    inject(DestroyRef).onDestroy(() => {
      window.removeEventListener('resize', resize);
      this.chart?.dispose();
    });
  }
}
