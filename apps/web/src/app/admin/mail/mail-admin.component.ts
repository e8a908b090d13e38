import { ChangeDetectionStrategy, Component } from '@angular/core';
import { MatTabsModule } from '@angular/material/tabs';
import { RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import type { TranslationKey } from '../../core/i18n/dictionary';
import { TranslatePipe } from '../../core/i18n/t.pipe';

/** "Messagerie": one tab per sub-page (mailboxes, SMTP, review queue, outgoing mail), each with its own URL. */
@Component({
  selector: 'gch-mail-admin',
  imports: [RouterOutlet, RouterLink, RouterLinkActive, MatTabsModule, TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  styleUrl: './mail-admin.component.scss',
  template: `
    <h1>{{ 'mail.title' | t }}</h1>
    <p class="gch-lead">{{ 'mail.intro' | t }}</p>
    <nav mat-tab-nav-bar class="gch-tab-nav" [tabPanel]="panel" [attr.aria-label]="'mail.sections' | t">
      @for (tab of tabs; track tab.path) {
        <a mat-tab-link [routerLink]="tab.path" routerLinkActive #active="routerLinkActive" [active]="active.isActive">{{ tab.label | t }}</a>
      }
    </nav>
    <mat-tab-nav-panel #panel class="gch-tab-panel">
      <router-outlet />
    </mat-tab-nav-panel>
  `,
})
export class MailAdminComponent {
  protected readonly tabs: readonly { path: string; label: TranslationKey }[] = [
    { path: '/admin/mail/mailboxes', label: 'mail.tab.mailboxes' },
    { path: '/admin/mail/smtp', label: 'mail.tab.smtp' },
    { path: '/admin/mail/review', label: 'mail.tab.review' },
    { path: '/admin/mail/outbound', label: 'mail.tab.outbound' },
  ];
}
