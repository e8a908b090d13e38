import { ChangeDetectionStrategy, Component, computed, inject, input, model, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import type { TranslationKey } from '../core/i18n/dictionary';
import { I18n } from '../core/i18n/i18n.service';
import { TranslatePipe } from '../core/i18n/t.pipe';

/**
 * Files chosen by drag-and-drop or with the file picker (a real button, so the keyboard reaches
 * it), listed with a remove button each; `progress` shows an upload under way.
 */
@Component({
  selector: 'gch-file-drop',
  imports: [MatButtonModule, MatProgressBarModule, TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  styleUrl: './file-drop.component.scss',
  host: { class: 'gch-file-drop' },
  template: `
    <fieldset class="gch-fieldset">
      <legend>{{ label() | t }}</legend>
      <div
        class="gch-drop"
        [class.gch-drop--over]="over()"
        (dragenter)="dragOver($event)"
        (dragover)="dragOver($event)"
        (dragleave)="over.set(false)"
        (drop)="drop($event)"
      >
        <span>{{ 'files.drop' | t }}</span>
        <button mat-stroked-button type="button" [disabled]="disabled()" (click)="picker.click()">{{ 'files.choose' | t }}</button>
        <input #picker type="file" multiple hidden [attr.aria-label]="'files.chooseLabel' | t" (change)="pick(picker)" />
      </div>
      @if (files().length > 0) {
        <ul class="gch-file-list" [attr.aria-label]="'files.selected' | t">
          @for (file of files(); track $index) {
            <li>
              <span class="gch-file-name">{{ file.name }}</span>
              <span class="gch-muted">{{ size(file.size) }}</span>
              <button
                mat-button
                type="button"
                class="gch-danger-text"
                [disabled]="disabled()"
                [attr.aria-label]="'files.remove' | t: { name: file.name }"
                (click)="remove($index)"
              >
                {{ 'common.remove' | t }}
              </button>
            </li>
          }
        </ul>
      }
      @if (percent() !== null) {
        <mat-progress-bar mode="determinate" [value]="percent()" [attr.aria-label]="progressText()" />
        <p class="gch-muted" role="status">{{ progressText() }}</p>
      }
    </fieldset>
  `,
})
export class FileDropComponent {
  private readonly i18n = inject(I18n);

  readonly files = model<File[]>([]);
  readonly label = input<TranslationKey>('newTicket.attachments');
  readonly disabled = input(false);
  /** Upload progress in percent, null when nothing is being sent. */
  readonly percent = input<number | null>(null);

  protected readonly over = signal(false);
  protected readonly progressText = computed(() => this.i18n.t('files.uploading', { percent: this.percent() ?? 0 }));

  protected dragOver(event: DragEvent): void {
    if (this.disabled()) return;
    event.preventDefault();
    if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
    this.over.set(true);
  }

  protected drop(event: DragEvent): void {
    event.preventDefault();
    this.over.set(false);
    if (this.disabled()) return;
    this.add(event.dataTransfer?.files ?? null);
  }

  protected pick(picker: HTMLInputElement): void {
    this.add(picker.files);
    // The same file may be chosen again after a removal.
    picker.value = '';
  }

  protected remove(index: number): void {
    this.files.update((files) => files.filter((_, i) => i !== index));
  }

  protected size(bytes: number): string {
    return fileSize(bytes, this.i18n);
  }

  private add(list: FileList | null): void {
    const added = Array.from(list ?? []);
    if (added.length > 0) this.files.update((files) => files.concat(added));
  }
}

export function fileSize(bytes: number, i18n: I18n): string {
  const format = (n: number) => new Intl.NumberFormat(i18n.locale(), { maximumFractionDigits: 1 }).format(n);
  return bytes < 1024 * 1024 ? i18n.t('files.sizeKb', { n: format(Math.max(bytes / 1024, 0.1)) }) : i18n.t('files.sizeMb', { n: format(bytes / 1024 / 1024) });
}
