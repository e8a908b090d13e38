import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { TranslatePipe } from '../core/i18n/t.pipe';
import { ciStatusKey } from './cmdb-labels';
import type { CiStatus } from './cmdb-model';

/** An item's status as a small badge, its colour matching the graph. */
@Component({
  selector: 'gch-ci-status',
  imports: [TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `<span class="gch-ci-status gch-ci-status--{{ status() }}">{{ label() | t }}</span>`,
  styles: `
    .gch-ci-status {
      display: inline-block;
      padding: 0 0.5rem;
      border-radius: 0.25rem;
      color: #fff;
      font-size: 0.85rem;
      font-weight: 600;
      white-space: nowrap;
    }
    .gch-ci-status--planned {
      background: #5e2a2b;
    }
    .gch-ci-status--production {
      background: #18753c;
    }
    .gch-ci-status--maintenance {
      background: #8d4a00;
    }
    .gch-ci-status--retired {
      background: #555;
    }
  `,
})
export class CiStatusComponent {
  readonly status = input.required<CiStatus>();
  protected label = () => ciStatusKey(this.status());
}
