import { NgTemplateOutlet } from '@angular/common';
import {
  ChangeDetectionStrategy,
  Component,
  Directive,
  booleanAttribute,
  TemplateRef,
  computed,
  contentChild,
  inject,
  input,
  type Resource,
  type Signal,
} from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { describeError } from '../core/http/api-error';
import { I18n } from '../core/i18n/i18n.service';
import { TranslatePipe } from '../core/i18n/t.pipe';

/** The rows of a list frame: `<ng-template gchListRows let-items>`, given the loaded items. */
@Directive({ selector: 'ng-template[gchListRows]' })
export class ListRowsDirective {
  readonly template = inject<TemplateRef<{ $implicit: readonly unknown[] }>>(TemplateRef);
}

/** What the frame reads of a `KeysetList`, whatever its items and query. */
export interface PagedList {
  readonly items: Signal<readonly unknown[]>;
  readonly total: Signal<number>;
  readonly nextCursor: Signal<string | undefined>;
  readonly loading: Signal<boolean>;
  readonly error: Signal<unknown>;
  more(): void;
}

/** A list read whole (a signal resource) or page by page (a keyset list). */
export type ListSource = Resource<readonly unknown[] | undefined> | PagedList;

function isPaged(source: ListSource): source is PagedList {
  return 'more' in source;
}

interface ListView {
  paged: boolean;
  loading: boolean;
  error: unknown;
  /** Undefined while nothing is loaded yet. */
  items: readonly unknown[] | undefined;
}

/**
 * The frame every list screen shares: progress bar, the error in words, the empty message
 * (projected with `gchListEmpty`) or the table (`gchListRows`). A resource shows its bar above
 * and either the error or the list; a keyset list keeps its rows under an error, shows its bar
 * below, and with `counted` the count and the "load more" button.
 */
@Component({
  selector: 'gch-list-frame',
  imports: [NgTemplateOutlet, MatButtonModule, MatProgressBarModule, TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './list-frame.component.html',
  // The frame adds no box of its own: the screens keep the layout they had without it.
  styles: ':host { display: contents; }',
})
export class ListFrameComponent {
  private readonly i18n = inject(I18n);

  readonly source = input.required<ListSource>();
  /** Keyset lists: the "n shown out of total" line and the "load more" button under the table. */
  readonly counted = input(false, { transform: booleanAttribute });
  /** Off where the page already shows its own progress while this list loads. */
  readonly progress = input(true);

  protected readonly rows = contentChild.required(ListRowsDirective);
  protected readonly view = computed<ListView>(() => {
    const source = this.source();
    if (isPaged(source)) {
      return { paged: true, loading: source.loading(), error: source.error(), items: source.items() };
    }
    return { paged: false, loading: source.isLoading(), error: source.error(), items: source.hasValue() ? source.value() : undefined };
  });
  protected readonly keyset = computed(() => {
    const source = this.source();
    return isPaged(source) ? source : null;
  });

  protected describe(error: unknown): string {
    return describeError(error, this.i18n);
  }
}
