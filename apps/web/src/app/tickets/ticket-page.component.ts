import { ChangeDetectionStrategy, Component, DestroyRef, computed, inject, input, signal, viewChild } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { RouterLink } from '@angular/router';
import type { Ticket, Typology } from '@guichet/contracts';
import { catchError, of } from 'rxjs';
import { ProjectsApi } from '../core/api/projects.api';
import { TicketsApi } from '../core/api/tickets.api';
import { describeError, errorCode } from '../core/http/api-error';
import { customerMoveKey, environmentKey, impactKey, kindKey, sourceKey, statusKey, urgencyKey } from '../core/i18n/dictionary';
import { I18n } from '../core/i18n/i18n.service';
import { PageTitle } from '../core/i18n/page-title';
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
  protected readonly environmentKey = environmentKey;
  protected readonly busy = signal(false);
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
    inject(PageTitle).describe(() => {
      const ticket = this.ticket();
      return ticket ? `${ticket.key} ${ticket.title}` : this.notFound() ? this.i18n.t('page.notFound') : null;
    });
  }

  protected reload(): void {
    this.timeline.reload();
  }

  protected move(ticket: Ticket, { status, reached, label: confirm }: { status: string; reached: string; label: string }): void {
    this.dialog
      .open<TransitionDialogComponent, TransitionDialogData, { comment: string }>(TransitionDialogComponent, {
        data: { title: this.i18n.t('ticket.transitionTitle', { key: ticket.key, status: reached }), confirm },
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
