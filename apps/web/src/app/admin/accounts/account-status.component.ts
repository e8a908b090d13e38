import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import type { Account } from '@guichet/contracts';
import type { TranslationKey } from '../../core/i18n/dictionary';
import { TranslatePipe } from '../../core/i18n/t.pipe';

@Component({
  selector: 'gch-account-status',
  imports: [TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `<span class="gch-tag">{{ key() | t }}</span>`,
})
export class AccountStatusComponent {
  readonly account = input.required<Pick<Account, 'active' | 'lastLoginAt' | 'mustChangePassword'>>();

  protected readonly key = computed<TranslationKey>(() => {
    const account = this.account();
    if (!account.active) return 'accounts.statusInactive';
    // Never logged in yet: the activation link has not been used.
    return account.lastLoginAt === null ? 'accounts.statusPending' : 'accounts.statusActive';
  });
}
