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
  template: `
    <section class="gch-panel" aria-labelledby="gch-links-title">
      <h2 id="gch-links-title">{{ 'ticket.links' | t }}</h2>
      @if (links().length === 0) {
        <p class="gch-muted">{{ 'ticket.noLinks' | t }}</p>
      } @else {
        <ul class="gch-plain-list gch-links">
          @for (link of links(); track link.id) {
            <li>
              <span class="gch-muted">{{ typeLabel(link.type) | t }}</span>
              <a [routerLink]="['/tickets', link.ticket.key]" class="gch-ticket-key">{{ link.ticket.key }}</a>
              <span>{{ link.ticket.title }}</span>
              <gch-status-chip [kind]="link.ticket.kind" [status]="link.ticket.status" />
              @if (ticket().can.edit) {
                <button
                  mat-button
                  type="button"
                  class="gch-danger-text"
                  [disabled]="busy()"
                  [attr.aria-label]="'ticket.removeLink' | t: { key: link.ticket.key }"
                  (click)="remove(link)"
                >
                  {{ 'common.remove' | t }}
                </button>
              }
            </li>
          }
        </ul>
      }
      @if (ticket().can.edit) {
        <form [formGroup]="form" (ngSubmit)="add()" novalidate>
          <mat-form-field class="gch-full">
            <mat-label>{{ 'ticket.linkType' | t }}</mat-label>
            <mat-select formControlName="type">
              @for (type of types; track type) {
                <mat-option [value]="type">{{ typeLabel(type) | t }}</mat-option>
              }
            </mat-select>
          </mat-form-field>
          <mat-form-field class="gch-full">
            <mat-label>{{ 'ticket.linkTarget' | t }}</mat-label>
            <input matInput formControlName="targetKey" required autocomplete="off" />
            <mat-hint>{{ 'ticket.linkTargetHint' | t }}</mat-hint>
            @if (form.controls.targetKey.invalid) {
              <mat-error>{{ 'ticket.linkTargetInvalid' | t }}</mat-error>
            }
          </mat-form-field>
          <div class="gch-actions">
            <button mat-stroked-button type="submit" [disabled]="busy()">{{ 'ticket.addLink' | t }}</button>
          </div>
        </form>
      }
    </section>
  `,
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
