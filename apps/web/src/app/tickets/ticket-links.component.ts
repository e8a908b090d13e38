import { ChangeDetectionStrategy, Component, inject, input, output, signal, viewChild } from '@angular/core';
import { FormBuilder, FormGroupDirective, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { RouterLink } from '@angular/router';
import { LINK_TYPES, TICKET_KEY_PATTERN, type LinkType, type Ticket, type TicketLink } from '@guichet/contracts';
import { TicketsApi } from '../core/api/tickets.api';
import { linkTypeKey } from '../core/i18n/dictionary';
import { I18n } from '../core/i18n/i18n.service';
import { TranslatePipe } from '../core/i18n/t.pipe';
import { Notifier } from '../shared/notifier';
import { runAction } from '../shared/run-action';
import { StatusChipComponent } from './ticket-badges.component';

/** Tickets linked to this one, read from this ticket's side (causes / is caused by ...). */
@Component({
  selector: 'gch-ticket-links',
  imports: [ReactiveFormsModule, RouterLink, MatButtonModule, MatFormFieldModule, MatInputModule, MatSelectModule, TranslatePipe, StatusChipComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './ticket-links.component.html',
})
export class TicketLinksComponent {
  private readonly api = inject(TicketsApi);
  private readonly notifier = inject(Notifier);
  private readonly i18n = inject(I18n);

  readonly ticket = input.required<Ticket>();
  readonly links = input.required<TicketLink[]>();
  readonly changed = output<void>();

  protected readonly types = LINK_TYPES;
  protected readonly typeLabel = linkTypeKey;
  protected readonly form = inject(FormBuilder).nonNullable.group({
    type: ['relates_to' as LinkType],
    targetKey: ['', [Validators.required, Validators.pattern(TICKET_KEY_PATTERN)]],
  });
  protected readonly busy = signal(false);
  private readonly formDirective = viewChild(FormGroupDirective);

  protected add(): void {
    this.form.controls.targetKey.setValue(this.form.controls.targetKey.value.trim().toUpperCase());
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    runAction(this.busy, this.notifier, this.api.addLink(this.ticket().key, this.form.getRawValue()), () => {
      this.formDirective()?.resetForm({ type: 'relates_to', targetKey: '' });
      this.notifier.success(this.i18n.t('ticket.linkAdded'));
      this.changed.emit();
    });
  }

  protected remove(link: TicketLink): void {
    runAction(this.busy, this.notifier, this.api.removeLink(this.ticket().key, link.id), () => {
      this.notifier.success(this.i18n.t('ticket.linkRemoved'));
      this.changed.emit();
    });
  }
}
