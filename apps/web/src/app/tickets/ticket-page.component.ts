import { ChangeDetectionStrategy, Component, DestroyRef, computed, effect, inject, input, signal, untracked, viewChild } from '@angular/core';
import { rxResource, takeUntilDestroyed, toObservable } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { RouterLink } from '@angular/router';
import { COMPOSING_EXPIRES_MS, type LiveComposing, needsResolutionText, type Ticket, type Typology } from '@guichet/contracts';
import { Subject, auditTime, catchError, map, merge, of, switchMap } from 'rxjs';
import { ProjectsApi } from '../core/api/projects.api';
import { TicketsApi } from '../core/api/tickets.api';
import { describeError, errorCode } from '../core/http/api-error';
import { clockKey, clockStateKey, customerMoveKey, environmentKey, impactKey, kindKey, sourceKey, statusKey, urgencyKey } from '../core/i18n/dictionary';
import { I18n } from '../core/i18n/i18n.service';
import { PageTitle } from '../core/i18n/page-title';
import { LiveEvents } from '../core/live/live-events';
import { Shortcuts } from '../core/keyboard/shortcuts';
import { DateTimePipe, TranslatePipe } from '../core/i18n/t.pipe';
import { NotFoundComponent } from '../shared/not-found.component';
import { Notifier } from '../shared/notifier';
import { runAction } from '../shared/run-action';
import { PriorityComponent, StatusChipComponent } from './ticket-badges.component';
import { TicketAttachmentsComponent } from './ticket-attachments.component';
import { timelineEntries } from './ticket-events';
import { TicketLinksComponent } from './ticket-links.component';
import { TicketPeopleComponent } from './ticket-people.component';
import { TicketReplyComponent } from './ticket-reply.component';
import { TicketTimeComponent } from './ticket-time.component';
import { TicketTimelineComponent } from './ticket-timeline.component';
import { TicketTriageComponent } from './ticket-triage.component';
import { AuthStore } from '../core/auth/auth.store';
import { TicketItemsComponent } from '../cmdb/ticket-items.component';
import { TransitionDialogComponent, type TransitionDialogData } from './transition-dialog.component';

/** One ticket: header, description, status moves, the timeline, the reply box and side panels. */
@Component({
  selector: 'gch-ticket-page',
  imports: [
    RouterLink,
    MatButtonModule,
    MatProgressBarModule,
    TranslatePipe,
    DateTimePipe,
    NotFoundComponent,
    StatusChipComponent,
    PriorityComponent,
    TicketTimelineComponent,
    TicketReplyComponent,
    TicketPeopleComponent,
    TicketLinksComponent,
    TicketTimeComponent,
    TicketAttachmentsComponent,
    TicketTriageComponent,
    TicketItemsComponent,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './ticket-page.component.html',
  styleUrl: './ticket-page.component.scss',
})
export class TicketPageComponent {
  private readonly api = inject(TicketsApi);
  private readonly projectsApi = inject(ProjectsApi);
  private readonly dialog = inject(MatDialog);
  private readonly notifier = inject(Notifier);
  /** The configuration items panel, for those who read the CMDB. */
  protected readonly readsCmdb = inject(AuthStore).hasAnyRight(['cmdb.read', 'cmdb.manage']);
  private readonly i18n = inject(I18n);

  /** Route parameter. */
  readonly key = input.required<string>();

  protected readonly timeline = rxResource({ params: () => this.key(), stream: ({ params }) => this.api.timeline(params) });
  protected readonly data = computed(() => (this.timeline.hasValue() ? this.timeline.value() : null));
  private readonly ticket = computed<Ticket | null>(() => this.data()?.ticket ?? null);
  protected readonly notFound = computed(() => errorCode(this.timeline.error()) === 'NOT_FOUND');
  /**
   * The status moves offered, each with its button's words: what the requester does for his own
   * moves (he has no write access: "Confirmer la résolution"), the status reached for the team.
   */
  protected readonly moves = computed(() => {
    const t = this.ticket();
    if (!t) return [];
    return t.transitions.map((status) => {
      const reached = this.i18n.t(statusKey(status));
      const action = t.can.edit ? undefined : customerMoveKey(t.status, status);
      return { status, reached, label: action ? this.i18n.t(action) : this.i18n.t('ticket.transitionTo', { status: reached }) };
    });
  });

  private readonly typologies = rxResource({
    params: () => this.ticket()?.projectKey,
    stream: ({ params }) => (params ? this.projectsApi.typologies(params).pipe(catchError(() => of([] as Typology[]))) : of([] as Typology[])),
  });
  protected readonly typologyList = computed(() => (this.typologies.hasValue() ? this.typologies.value() : []));
  protected readonly typologyLabel = (code: string): string => {
    const typology = this.typologies.hasValue() ? this.typologies.value().find((t) => t.code === code) : undefined;
    if (!typology) return code;
    return this.i18n.locale() === 'fr' ? typology.labelFr : typology.labelEn;
  };
  protected readonly entries = computed(() => (this.timeline.hasValue() ? timelineEntries(this.timeline.value(), this.i18n, this.typologyLabel) : []));

  protected readonly kindKey = kindKey;
  protected readonly urgencyKey = urgencyKey;
  protected readonly impactKey = impactKey;
  protected readonly sourceKey = sourceKey;
  protected readonly clockKey = clockKey;
  protected readonly clockStateKey = clockStateKey;
  /** Business minutes as "3 h 20 min" (the same in French and English). */
  protected duration(minutes: number): string {
    const m = Math.abs(minutes);
    const h = Math.floor(m / 60);
    return h ? `${h} h ${String(m % 60).padStart(2, '0')} min` : `${m} min`;
  }
  protected readonly environmentKey = environmentKey;
  protected readonly busy = signal(false);
  /** Others writing on this ticket now ("Julie Martin is writing a reply"), each until its signal expires. */
  protected readonly writers = signal<(LiveComposing & { until: number })[]>([]);
  private readonly changedElsewhere = new Subject<void>();
  /**
   * When the reader opened this ticket before this visit (null: never): the first answer's, kept
   * while the page stays open, so that what arrived since stays marked. The visit is then recorded.
   */
  protected readonly lastReadAt = signal<string | null | undefined>(undefined);

  private readonly replyBox = viewChild(TicketReplyComponent);
  private readonly people = viewChild(TicketPeopleComponent);

  constructor() {
    inject(Shortcuts).register(
      {
        reply: () => this.replyBox()?.startWriting('public'),
        note: () => this.replyBox()?.startWriting('internal'),
        assignToMe: () => this.people()?.assignToMe(),
      },
      inject(DestroyRef),
    );
    const live = inject(LiveEvents);
    // Someone else changed this ticket: read it again (once for a burst of changes).
    this.changedElsewhere.pipe(auditTime(300), takeUntilDestroyed()).subscribe(() => this.reload());
    toObservable(this.key)
      .pipe(
        switchMap((key) => {
          this.writers.set([]);
          this.lastReadAt.set(undefined);
          return merge(live.ticket(key), live.reopened.pipe(map(() => null)));
        }),
        takeUntilDestroyed(),
      )
      .subscribe((event) => {
        if (event?.type === 'composing') return this.someoneWrites(event);
        // A reply arrived: the writer most likely sent it; one still writing signals again within seconds.
        if (event?.type === 'ticket' && event.changes.includes('comment_added')) this.writers.set([]);
        this.changedElsewhere.next();
      });
    effect(() => {
      const data = this.data();
      if (!data || this.lastReadAt() !== undefined) return;
      untracked(() => {
        this.lastReadAt.set(data.lastReadAt);
        this.api.markRead(data.ticket.key).subscribe({ error: () => undefined });
      });
    });
    const sweep = setInterval(() => {
      const now = Date.now();
      if (this.writers().some((w) => w.until <= now)) this.writers.update((all) => all.filter((w) => w.until > now));
    }, 1000);
    inject(DestroyRef).onDestroy(() => clearInterval(sweep));

    inject(PageTitle).describe(() => {
      const ticket = this.ticket();
      return ticket ? `${ticket.key} ${ticket.title}` : this.notFound() ? this.i18n.t('page.notFound') : null;
    });
  }

  private someoneWrites(event: LiveComposing): void {
    const until = Date.now() + COMPOSING_EXPIRES_MS;
    this.writers.update((all) => [...all.filter((w) => w.accountId !== event.accountId || w.internal !== event.internal), { ...event, until }]);
  }

  protected reload(): void {
    this.timeline.reload();
  }

  protected move(ticket: Ticket, { status, reached, label: confirm }: { status: string; reached: string; label: string }): void {
    this.dialog
      .open<TransitionDialogComponent, TransitionDialogData, { comment: string }>(TransitionDialogComponent, {
        data: {
          title: this.i18n.t('ticket.transitionTitle', { key: ticket.key, status: reached }),
          confirm,
          resolution: needsResolutionText(ticket.kind, ticket.status, status),
        },
        width: '34rem',
      })
      .afterClosed()
      .subscribe((answer) => {
        if (!answer) return;
        runAction(this.busy, this.notifier, this.api.transition(ticket.key, { status, comment: answer.comment || undefined }), () => {
          this.notifier.success(this.i18n.t('ticket.transitionDone', { status: reached }));
          this.reload();
        });
      });
  }

  protected describe(error: unknown): string {
    return describeError(error, this.i18n);
  }
}
