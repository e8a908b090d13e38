import { ChangeDetectionStrategy, Component, computed, inject, input, signal } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatSelectModule } from '@angular/material/select';
import { MAX_INCIDENT_CONTACTS, type IncidentContact, type ProjectMember } from '@guichet/contracts';
import { ProjectsApi } from '../../core/api/projects.api';
import { I18n } from '../../core/i18n/i18n.service';
import { TranslatePipe } from '../../core/i18n/t.pipe';
import { Notifier } from '../../shared/notifier';
import { runAction } from '../../shared/run-action';

/**
 * The project's incident contacts (R9.3): members told at once, by email and for P1 by SMS, of an
 * incident the support team detects itself. Chosen among the project's members.
 */
@Component({
  selector: 'gch-incident-contacts',
  imports: [FormsModule, MatButtonModule, MatCardModule, MatFormFieldModule, MatSelectModule, TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <mat-card appearance="outlined">
      <mat-card-header>
        <mat-card-title
          ><h2>{{ 'contacts.title' | t }}</h2></mat-card-title
        >
      </mat-card-header>
      <mat-card-content>
        <p class="gch-muted">{{ 'contacts.intro' | t }}</p>
        @if (contacts.hasValue()) {
          @if (contacts.value().length === 0) {
            <p class="gch-alert gch-alert--info" data-testid="no-incident-contact">{{ 'contacts.none' | t }}</p>
          } @else {
            <ul class="gch-plain-list" [attr.aria-label]="'contacts.title' | t">
              @for (contact of contacts.value(); track contact.accountId) {
                <li class="gch-row gch-contact">
                  <span class="gch-grow">
                    {{ contact.displayName }} <span class="gch-muted">— {{ contact.email }}</span>
                    @if (!contact.reachableBySms) {
                      <span class="gch-muted"> · {{ 'contacts.noSms' | t }}</span>
                    }
                  </span>
                  <button
                    mat-button
                    type="button"
                    class="gch-danger-text"
                    [disabled]="busy()"
                    [attr.aria-label]="'contacts.remove' | t: { name: contact.displayName }"
                    (click)="remove(contact)"
                  >
                    {{ 'common.remove' | t }}
                  </button>
                </li>
              }
            </ul>
          }
          @if (candidates().length > 0 && contacts.value().length < max) {
            <form class="gch-row" (submit)="$event.preventDefault(); add()" novalidate>
              <mat-form-field class="gch-grow">
                <mat-label>{{ 'contacts.add' | t }}</mat-label>
                <mat-select [(ngModel)]="chosen" name="contact">
                  @for (member of candidates(); track member.accountId) {
                    <mat-option [value]="member.accountId">{{ member.displayName }} — {{ member.email }}</mat-option>
                  }
                </mat-select>
              </mat-form-field>
              <div class="gch-actions">
                <button mat-stroked-button type="submit" [disabled]="busy() || !chosen">{{ 'contacts.addButton' | t }}</button>
              </div>
            </form>
          }
        }
      </mat-card-content>
    </mat-card>
  `,
})
export class IncidentContactsComponent {
  private readonly api = inject(ProjectsApi);
  private readonly notifier = inject(Notifier);
  private readonly i18n = inject(I18n);

  readonly projectKey = input.required<string>();
  /** The project's members, among whom contacts are chosen. */
  readonly members = input.required<ProjectMember[]>();

  protected readonly max = MAX_INCIDENT_CONTACTS;
  protected readonly busy = signal(false);
  protected chosen = '';
  protected readonly contacts = rxResource({ params: () => this.projectKey(), stream: ({ params }) => this.api.incidentContacts(params) });
  protected readonly candidates = computed(() => {
    const taken = new Set(this.contacts.hasValue() ? this.contacts.value().map((c) => c.accountId) : []);
    return this.members().filter((m) => !taken.has(m.accountId));
  });

  protected add(): void {
    if (!this.chosen || !this.contacts.hasValue()) return;
    this.save([...this.contacts.value().map((c) => c.accountId), this.chosen]);
  }

  protected remove(contact: IncidentContact): void {
    if (!this.contacts.hasValue()) return;
    this.save(this.contacts.value().flatMap((c) => (c.accountId === contact.accountId ? [] : [c.accountId])));
  }

  private save(accountIds: string[]): void {
    runAction(this.busy, this.notifier, this.api.replaceIncidentContacts(this.projectKey(), accountIds), (contacts) => {
      this.contacts.set(contacts);
      this.chosen = '';
      this.notifier.success(this.i18n.t('common.saved'));
    });
  }
}
