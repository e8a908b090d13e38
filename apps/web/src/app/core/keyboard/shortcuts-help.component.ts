import { ChangeDetectionStrategy, Component } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatDialogModule } from '@angular/material/dialog';
import { TranslatePipe } from '../i18n/t.pipe';
import { SHORTCUTS } from './shortcuts';

/** The help dialog (`?`): every shortcut, from the one table. */
@Component({
  selector: 'gch-shortcuts-help',
  imports: [MatDialogModule, MatButtonModule, TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './shortcuts-help.component.html',
  styleUrl: './shortcuts-help.component.scss',
})
export class ShortcutsHelpComponent {
  protected readonly shortcuts = SHORTCUTS;
}
