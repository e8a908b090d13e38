import { ChangeDetectionStrategy, Component, DestroyRef, type ElementRef, computed, effect, inject, input, signal, viewChild } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { FormsModule } from '@angular/forms';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatSelectModule } from '@angular/material/select';
import { Router, RouterLink } from '@angular/router';
import cytoscape, { type Core, type ElementDefinition } from 'cytoscape';
import dagre from 'cytoscape-dagre';
import { CmdbApi } from '../core/api/cmdb.api';
import { describeError } from '../core/http/api-error';
import { I18n } from '../core/i18n/i18n.service';
import { TranslatePipe } from '../core/i18n/t.pipe';
import { STATUS_COLOURS, UNKNOWN_STATUS_COLOUR, ciStatusKey, directionKey, relationLabel, typeColour, typeName } from './cmdb-labels';
import { IMPACT_DEFAULT_DEPTH, IMPACT_DIRECTIONS, IMPACT_MAX_DEPTH, type ImpactDirection, type ImpactGraph, type ImpactNode } from './cmdb-model';
import { CiStatusComponent } from './ci-status.component';

cytoscape.use(dagre);

/** A row of the table form of the graph: the item and the items through which it is reached. */
interface ImpactRow {
  node: ImpactNode;
  via: { name: string; relation: string }[];
}

/**
 * What depends on an item (or what it depends on), as a layered graph and as a table. The graph is
 * for the eye and the mouse; the table says the same for the keyboard and screen readers.
 */
@Component({
  selector: 'gch-ci-impact',
  imports: [FormsModule, RouterLink, MatFormFieldModule, MatSelectModule, TranslatePipe, CiStatusComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './ci-impact.component.html',
  styleUrl: './cmdb.scss',
})
export class CiImpactComponent {
  private readonly api = inject(CmdbApi);
  private readonly router = inject(Router);
  protected readonly i18n = inject(I18n);

  readonly itemId = input.required<string>();
  protected readonly depths = Array.from({ length: IMPACT_MAX_DEPTH }, (_, i) => i + 1);
  protected readonly directions = IMPACT_DIRECTIONS.map((direction) => ({ direction, label: directionKey(direction) }));
  protected readonly depth = signal(IMPACT_DEFAULT_DEPTH);
  protected readonly direction = signal<ImpactDirection>('impact');

  protected readonly graph = rxResource({
    params: () => ({ id: this.itemId(), direction: this.direction(), depth: this.depth() }),
    stream: ({ params }) => this.api.impact(params.id, params.direction, params.depth),
  });
  private readonly container = viewChild<ElementRef<HTMLElement>>('canvas');
  private cy: Core | undefined;

  /** The item itself (level 0) then the others, nearest first, each with the items it is reached through. */
  protected readonly rows = computed<ImpactRow[]>(() => {
    if (!this.graph.hasValue()) return [];
    const graph = this.graph.value();
    const byId = new Map(graph.nodes.map((n) => [n.id, n]));
    const locale = this.i18n.locale();
    return [...graph.nodes]
      .sort((a, b) => a.depth - b.depth || a.name.localeCompare(b.name))
      .map((node) => ({
        node,
        via: graph.edges
          .filter((e) => e.from === node.id || e.to === node.id)
          .map((e) => {
            const other = byId.get(e.from === node.id ? e.to : e.from);
            return other && other.depth === node.depth - 1
              ? { name: other.name, relation: relationLabel(e.kind, e.from === node.id ? 'out' : 'in', locale) }
              : null;
          })
          .filter((v): v is { name: string; relation: string } => v !== null),
      }));
  });
  /** Items reached, the item itself left out. */
  protected readonly reached = computed(() => Math.max(this.rows().length - 1, 0));
  protected readonly openTicketCount = computed(() => this.rows().reduce((sum, row) => sum + row.node.openTickets.length, 0));
  /** The types present, for the legend. */
  protected readonly legend = computed(() => {
    const seen = new Map<string, string>();
    if (this.graph.hasValue()) for (const n of this.graph.value().nodes) seen.set(n.type.code, typeName(n.type, this.i18n.locale()));
    return [...seen].map(([code, name]) => ({ code, name, colour: typeColour(code) }));
  });
  protected readonly statusLegend = Object.entries(STATUS_COLOURS).map(([status, colour]) => ({ label: ciStatusKey(status as never), colour }));
  protected readonly typeName = typeName;
  protected readonly typeColour = typeColour;

  constructor() {
    effect(() => {
      const element = this.container()?.nativeElement;
      const graph = this.graph.hasValue() ? this.graph.value() : undefined;
      this.i18n.locale();
      if (element && graph) this.draw(element, graph);
    });
    inject(DestroyRef).onDestroy(() => this.cy?.destroy());
  }

  private draw(element: HTMLElement, graph: ImpactGraph): void {
    this.cy?.destroy();
    const elements: ElementDefinition[] = [
      ...graph.nodes.map((n) => ({
        data: {
          id: n.id,
          label: n.openTickets.length > 0 ? `${n.name}\n⚠ ${this.i18n.t('cmdb.openTicketCount', { count: n.openTickets.length })}` : n.name,
          fill: typeColour(n.type.code),
          border: n.status ? STATUS_COLOURS[n.status] : UNKNOWN_STATUS_COLOUR,
          root: n.id === graph.root ? 1 : 0,
          tickets: n.openTickets.length,
        },
      })),
      ...graph.edges.map((e) => ({ data: { id: `e${e.relationId}`, source: e.from, target: e.to, label: relationLabel(e.kind, 'out', this.i18n.locale()) } })),
    ];
    this.cy = cytoscape({
      container: element,
      elements,
      layout: { name: 'dagre', rankDir: 'TB', nodeSep: 40, rankSep: 110 } as cytoscape.LayoutOptions,
      minZoom: 0.2,
      maxZoom: 2.5,
      style: [
        {
          selector: 'node',
          style: {
            'background-color': 'data(fill)',
            'border-color': 'data(border)',
            'border-width': 4,
            label: 'data(label)',
            'text-wrap': 'wrap',
            'text-max-width': '140px',
            'text-valign': 'bottom',
            'text-margin-y': 6,
            'font-size': 12,
            color: '#161616',
            'text-background-color': '#ffffff',
            'text-background-opacity': 0.85,
            'text-background-padding': '2px',
            width: 28,
            height: 28,
          },
        },
        { selector: 'node[root = 1]', style: { width: 40, height: 40, shape: 'round-rectangle', 'font-weight': 'bold' } },
        { selector: 'node[tickets > 0]', style: { 'border-style': 'double', 'border-width': 7, color: '#b34000' } },
        {
          selector: 'edge',
          style: {
            width: 1.5,
            'line-color': '#6a6a6a',
            'target-arrow-color': '#6a6a6a',
            'target-arrow-shape': 'triangle',
            'curve-style': 'bezier',
            label: 'data(label)',
            'font-size': 10,
            color: '#3a3a3a',
            'text-rotation': 'autorotate',
            'text-background-color': '#ffffff',
            'text-background-opacity': 0.85,
          },
        },
      ],
    });
    this.cy.on('tap', 'node', (event) => {
      const id = event.target.id() as string;
      const node = graph.nodes.find((n) => n.id === id);
      if (node && id !== graph.root && !node.limited) void this.router.navigate(['/cmdb', id]);
    });
    this.cy.on('mouseover', 'node', () => (element.style.cursor = 'pointer'));
    this.cy.on('mouseout', 'node', () => (element.style.cursor = ''));
  }

  protected setDepth(depth: number): void {
    this.depth.set(depth);
  }

  protected describe(error: unknown): string {
    return describeError(error, this.i18n);
  }
}
