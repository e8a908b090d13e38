import { ChangeDetectionStrategy, Component } from '@angular/core';
import { RouterLink } from '@angular/router';
import { TranslatePipe } from '../core/i18n/t.pipe';

@Component({
  selector: 'gch-not-found',
  imports: [RouterLink, TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h1>{{ 'error.notFoundPage' | t }}</h1>
    <p>
      <a routerLink="/">{{ 'nav.home' | t }}</a>
    </p>
  `,
})
export class NotFoundComponent {}
