import { ChangeDetectionStrategy, Component, computed, inject, input, output, signal, viewChild } from '@angular/core';
import { FormBuilder, FormGroupDirective, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import type { Ticket, TimeEntry } from '@guichet/contracts';
import { TicketsApi } from '../core/api/tickets.api';
import { I18n } from '../core/i18n/i18n.service';
import { DATE_FIELD, isoDay } from '../core/i18n/interface-dates';
import { DateTimePipe, TranslatePipe } from '../core/i18n/t.pipe';
import { Notifier } from '../shared/notifier';
import { runAction } from '../shared/run-action';
import { formatDuration } from './ticket-events';

const parisDay = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' });

/** Time spent (R1.7): shown to holders of ticket.timeSpent, logged by those who also act on the ticket. */
@Component({
  selector: 'gch-ticket-time',
  imports: [ReactiveFormsModule, MatButtonModule, DATE_FIELD, MatFormFieldModule, MatInputModule, TranslatePipe, DateTimePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './ticket-time.component.html',
  styleUrl: './ticket-time.component.scss',
})
export class TicketTimeComponent {
  private readonly api = inject(TicketsApi);
  private readonly notifier = inject(Notifier);
  private readonly i18n = inject(I18n);

  readonly ticket = input.required<Ticket>();
  readonly entries = input.required<TimeEntry[]>();
  readonly changed = output<void>();

  protected readonly total = computed(() =>
    formatDuration(
      this.entries().reduce((sum, e) => sum + e.minutes, 0),
      this.i18n,
    ),
  );
  private readonly fb = inject(FormBuilder).nonNullable;
  protected readonly form = this.fb.group({
    minutes: [30, [Validators.required, Validators.min(1), Validators.max(1440)]],
    spentOn: this.fb.control<Date | string | null>(parisDay.format(new Date()), Validators.required),
    note: [''],
  });
  protected readonly busy = signal(false);
  private readonly formDirective = viewChild(FormGroupDirective);

  protected duration(minutes: number): string {
    return formatDuration(minutes, this.i18n);
  }

  protected log(): void {
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    const { minutes, spentOn, note } = this.form.getRawValue();
    runAction(
      this.busy,
      this.notifier,
      this.api.logTime(this.ticket().key, { minutes: Number(minutes), spentOn: isoDay(spentOn), note: note.trim() || undefined }),
      () => {
        this.formDirective()?.resetForm({ minutes: 30, spentOn: parisDay.format(new Date()), note: '' });
        this.notifier.success(this.i18n.t('ticket.timeLogged'));
        this.changed.emit();
      },
    );
  }
}
