import { ChangeDetectionStrategy, Component, effect, inject } from '@angular/core';
import { rxResource, takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatDialog } from '@angular/material/dialog';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { RouterLink } from '@angular/router';
import type { QueueId, SavedView } from '@guichet/contracts';
import { auditTime, filter, merge } from 'rxjs';
import { ViewsApi } from '../core/api/views.api';
import { describeError } from '../core/http/api-error';
import { LiveEvents } from '../core/live/live-events';
import type { TranslationKey } from '../core/i18n/dictionary';
import { I18n } from '../core/i18n/i18n.service';
import { TranslatePipe } from '../core/i18n/t.pipe';
import { Confirmation } from '../shared/confirm-dialog.component';
import { Notifier } from '../shared/notifier';
import { PriorityComponent, StatusChipComponent } from '../tickets/ticket-badges.component';
import { SaveViewDialogComponent, type SaveViewData } from './save-view-dialog.component';
import { SavedViewsStore } from './saved-views.store';
import { viewParams } from './view-params';

/** The support agent's home: his queues with their exact counts and first tickets, then his saved views. */
@Component({
  selector: 'gch-agent-home',
  imports: [RouterLink, MatButtonModule, MatCardModule, MatProgressBarModule, TranslatePipe, StatusChipComponent, PriorityComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './agent-home.component.html',
  styleUrl: './agent-home.component.scss',
})
export class AgentHomeComponent {
  private readonly api = inject(ViewsApi);
  private readonly i18n = inject(I18n);
  private readonly dialog = inject(MatDialog);
  private readonly confirmation = inject(Confirmation);
  private readonly notifier = inject(Notifier);
  private readonly store = inject(SavedViewsStore);

  protected readonly home = rxResource({ stream: () => this.api.home() });
  protected readonly params = viewParams;

  constructor() {
    // A ticket the agent may see was opened or changed: the queues are counted again, at most once a second.
    const live = inject(LiveEvents);
    merge(live.events.pipe(filter((e) => e.type === 'ticket')), live.reopened)
      .pipe(auditTime(1000), takeUntilDestroyed())
      .subscribe(() => this.home.reload());
    // The home brings the views with their counts: the navigation shows the same.
    effect(() => {
      if (this.home.hasValue()) this.store.set(this.home.value().views);
    });
  }

  protected queueName(id: QueueId): TranslationKey {
    return `queue.${id}`;
  }

  protected formatCount(n: number): string {
    return new Intl.NumberFormat(this.i18n.locale()).format(n);
  }

  protected rename(view: SavedView): void {
    this.dialog
      .open<SaveViewDialogComponent, SaveViewData, SavedView>(SaveViewDialogComponent, { data: { view }, width: '30rem', maxWidth: '95vw' })
      .afterClosed()
      .subscribe((saved) => {
        if (!saved) return;
        this.notifier.success(this.i18n.t('views.renamed', { name: saved.name }));
        this.home.reload();
      });
  }

  protected remove(view: SavedView): void {
    this.confirmation
      .ask({ title: this.i18n.t('views.deleteTitle'), message: this.i18n.t('views.deleteMessage', { name: view.name }), confirm: this.i18n.t('views.delete') })
      .subscribe((yes) => {
        if (!yes) return;
        this.api.delete(view.id).subscribe({
          next: () => {
            this.notifier.success(this.i18n.t('views.deleted', { name: view.name }));
            this.home.reload();
          },
          error: (error: unknown) => this.notifier.error(error),
        });
      });
  }

  protected describe(error: unknown): string {
    return describeError(error, this.i18n);
  }
}
