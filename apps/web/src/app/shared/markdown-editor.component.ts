import { ChangeDetectionStrategy, Component, effect, inject, input, signal } from '@angular/core';
import type { AbstractControl } from '@angular/forms';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import type { Subscription } from 'rxjs';
import { TicketsApi } from '../core/api/tickets.api';
import { describeError } from '../core/http/api-error';
import { I18n } from '../core/i18n/i18n.service';
import { TranslatePipe } from '../core/i18n/t.pipe';

let nextId = 0;
type Preview = { state: 'loading' } | { state: 'shown'; html: string } | { state: 'failed'; message: string };

/**
 * "Écrire" and "Aperçu" tabs around a Markdown text field (projected). The preview is rendered by
 * the server, with the rules and sanitisation the ticket page will use (ADR 0022).
 */
@Component({
  selector: 'gch-markdown-editor',
  imports: [MatProgressBarModule, TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './markdown-editor.component.html',
  styleUrl: './markdown-editor.component.scss',
})
export class MarkdownEditorComponent {
  private readonly api = inject(TicketsApi);
  private readonly i18n = inject(I18n);

  /** The field's control: its value is what the preview shows. */
  readonly control = input.required<AbstractControl<string>>();

  protected readonly id = `gch-editor-${nextId++}`;
  protected readonly tabs = [
    { name: 'write', label: 'markdown.write' },
    { name: 'preview', label: 'markdown.preview' },
  ] as const;
  protected readonly mode = signal<'write' | 'preview'>('write');
  protected readonly preview = signal<Preview>({ state: 'loading' });
  private request: Subscription | null = null;

  constructor() {
    // A text changed from outside (sent, reset) is no longer the one previewed.
    effect((onCleanup) => {
      const changes = this.control().valueChanges.subscribe(() => this.mode.set('write'));
      onCleanup(() => changes.unsubscribe());
    });
  }

  /** Back to the text (the reply shortcuts), whichever tab was shown. */
  write(): void {
    this.select('write');
  }

  protected select(mode: 'write' | 'preview'): void {
    if (mode === this.mode()) return;
    this.mode.set(mode);
    this.request?.unsubscribe();
    if (mode === 'write') return;
    const text = this.control().value ?? '';
    if (!text.trim()) {
      this.preview.set({ state: 'shown', html: '' });
      return;
    }
    this.preview.set({ state: 'loading' });
    this.request = this.api.preview(text).subscribe({
      next: ({ html }) => this.preview.set({ state: 'shown', html }),
      error: (error: unknown) => this.preview.set({ state: 'failed', message: describeError(error, this.i18n) }),
    });
  }

  /** Arrow keys move between the two tabs, as in any tab list. */
  protected switchBy(event: Event): void {
    const next = this.mode() === 'write' ? 'preview' : 'write';
    this.select(next);
    const target = event.target as HTMLElement;
    (target.parentElement?.querySelector(`#${this.id}-${next}`) as HTMLElement | null)?.focus();
  }

  protected html(): string {
    const preview = this.preview();
    return preview.state === 'shown' ? preview.html : '';
  }

  protected failure(): string {
    const preview = this.preview();
    return preview.state === 'failed' ? preview.message : '';
  }
}
