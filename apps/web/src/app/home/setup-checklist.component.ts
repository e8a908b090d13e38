import { ChangeDetectionStrategy, Component, computed, effect, inject, output, signal } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { RouterLink } from '@angular/router';
import type { SetupStep } from '@guichet/contracts';
import { SetupApi } from '../core/api/setup.api';
import { AuthStore } from '../core/auth/auth.store';
import type { TranslationKey } from '../core/i18n/dictionary';
import { TranslatePipe } from '../core/i18n/t.pipe';

/** The screen that does each step. */
const STEP_LINK: Record<SetupStep, string> = {
  smtp: '/admin/mail/smtp',
  space: '/admin/spaces',
  project: '/admin/spaces',
  accounts: '/admin/accounts/new',
  mailbox: '/admin/mail/mailboxes/new',
};

const DISMISSED_KEY = 'guichet.setupDismissed';

/**
 * "Getting started" on a fresh install: the steps the user may do, ticked from the real state,
 * each linking to its screen. Gone once all are done, or once dismissed (in this browser).
 */
@Component({
  selector: 'gch-setup-checklist',
  imports: [RouterLink, MatButtonModule, TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './setup-checklist.component.html',
  styleUrl: './setup-checklist.component.scss',
})
export class SetupChecklistComponent {
  private readonly api = inject(SetupApi);
  private readonly store = inject(AuthStore);

  /** Whether the checklist shows: the home page then speaks of setting up, not of asking for access. */
  readonly shown = output<boolean>();

  private readonly dismissed = signal(readDismissed(this.store.me()?.id));
  protected readonly checklist = rxResource({
    params: () => (this.dismissed() ? undefined : this.store.me()?.id),
    stream: () => this.api.checklist(),
  });
  protected readonly steps = computed(() =>
    (this.checklist.hasValue() ? this.checklist.value().steps : []).map((s) => ({
      ...s,
      label: `setup.step.${s.step}` as TranslationKey,
      help: `setup.help.${s.step}` as TranslationKey,
      link: STEP_LINK[s.step],
    })),
  );
  protected readonly visible = computed(() => !this.dismissed() && this.steps().some((s) => !s.done));
  protected readonly doneCount = computed(() => this.steps().filter((s) => s.done).length);

  constructor() {
    effect(() => this.shown.emit(this.visible()));
  }

  protected dismiss(): void {
    const id = this.store.me()?.id;
    if (id) localStorage.setItem(`${DISMISSED_KEY}.${id}`, '1');
    this.dismissed.set(true);
  }
}

function readDismissed(accountId: string | undefined): boolean {
  try {
    return !!accountId && localStorage.getItem(`${DISMISSED_KEY}.${accountId}`) === '1';
  } catch {
    return false;
  }
}
