import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import type { EffectiveAccessLevel } from '@guichet/contracts';
import { accessKey } from '../core/i18n/dictionary';
import { TranslatePipe } from '../core/i18n/t.pipe';

/** The user's access level on a project, in words (colour is never the only cue). */
@Component({
  selector: 'gch-access-badge',
  imports: [TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `<span class="gch-badge" [class]="'gch-badge gch-badge--' + level()">{{ key() | t }}</span>`,
})
export class AccessBadgeComponent {
  readonly level = input.required<EffectiveAccessLevel>();
  protected readonly key = computed(() => accessKey(this.level()));
}
