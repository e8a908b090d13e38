import { DOCUMENT } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, input, signal } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { Router, RouterLink } from '@angular/router';
import type { ArchiveEntry, DepositVersion } from '@guichet/contracts';
import { of } from 'rxjs';
import { DepositsApi } from '../core/api/deposits.api';
import { describeError } from '../core/http/api-error';
import { environmentKey } from '../core/i18n/dictionary';
import { I18n } from '../core/i18n/i18n.service';
import { PageTitle } from '../core/i18n/page-title';
import { DateTimePipe, TranslatePipe } from '../core/i18n/t.pipe';
import { Confirmation } from '../shared/confirm-dialog.component';
import { FileDropComponent, fileSize } from '../shared/file-drop.component';
import { Notifier } from '../shared/notifier';
import { saveBlob } from '../shared/save-blob';
import { categoryKey, scanKey, warningKey } from './deposit-labels';
import { followUpload } from './deposit-upload';

/** An archive entry placed in its folder: its depth and its last name. */
interface Row {
  entry: ArchiveEntry;
  depth: number;
  name: string;
}

/** One deposit: its versions with their checksums and verdicts, the contents of a version's archive, a new version. */
@Component({
  selector: 'gch-deposit-detail',
  imports: [FormsModule, RouterLink, MatButtonModule, MatFormFieldModule, MatInputModule, MatProgressBarModule, TranslatePipe, DateTimePipe, FileDropComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  styleUrl: './deposits.scss',
  templateUrl: './deposit-detail.component.html',
})
export class DepositDetailComponent {
  private readonly api = inject(DepositsApi);
  private readonly notifier = inject(Notifier);
  private readonly confirmation = inject(Confirmation);
  private readonly router = inject(Router);
  private readonly document = inject(DOCUMENT);
  protected readonly i18n = inject(I18n);

  /** Route parameters. */
  readonly key = input.required<string>();
  readonly id = input.required<string>();

  protected readonly deposit = rxResource({ params: () => ({ key: this.key(), id: this.id() }), stream: ({ params }) => this.api.get(params.key, params.id) });
  /** The version whose contents are shown: the latest unless another is chosen. */
  protected readonly chosen = signal<number | null>(null);
  protected readonly shown = computed(() => this.chosen() ?? (this.deposit.hasValue() ? this.deposit.value().latest.number : null));
  protected readonly listing = rxResource({
    params: () => {
      const n = this.shown();
      return n === null ? undefined : { key: this.key(), id: this.id(), n };
    },
    stream: ({ params }) => (params ? this.api.contents(params.key, params.id, params.n) : of(null)),
  });
  protected readonly rows = computed<Row[]>(() => {
    const listing = this.listing.hasValue() ? this.listing.value() : null;
    return listing ? tree(listing.entries) : [];
  });
  protected readonly notFound = computed(() => (this.deposit.error() as { status?: number } | undefined)?.status === 404);

  protected readonly files = signal<File[]>([]);
  protected readonly fileError = signal<string | null>(null);
  protected readonly note = signal('');
  protected readonly percent = signal<number | null>(null);
  protected readonly busy = signal(false);

  protected readonly categoryKey = categoryKey;
  protected readonly environmentKey = environmentKey;
  protected readonly scanKey = scanKey;
  protected readonly warningKey = warningKey;

  constructor() {
    inject(PageTitle).describe(() => (this.deposit.hasValue() ? this.deposit.value().title : null));
  }

  protected size(bytes: number): string {
    return fileSize(bytes, this.i18n);
  }

  protected show(version: DepositVersion): void {
    this.chosen.set(version.number);
    setTimeout(() => this.document.getElementById('gch-contents-title')?.focus());
  }

  protected download(version: DepositVersion): void {
    this.api.download(this.key(), this.id(), version.number).subscribe({
      next: (blob) => saveBlob(this.document, blob, version.filename),
      error: (error: unknown) => this.notifier.error(error),
    });
  }

  protected addVersion(): void {
    const files = this.files();
    this.fileError.set(files.length === 1 ? null : this.i18n.t(files.length === 0 ? 'deposits.fileRequired' : 'deposits.oneFile'));
    if (files.length !== 1) return;
    this.busy.set(true);
    followUpload(this.api.addVersion(this.key(), this.id(), this.note(), files[0]!), this.percent).subscribe({
      next: (deposit) => {
        this.busy.set(false);
        this.files.set([]);
        this.note.set('');
        this.chosen.set(null);
        this.deposit.set(deposit);
        this.notifier.success(this.i18n.t('deposits.versionAdded', { n: deposit.latest.number }));
      },
      error: (error: unknown) => {
        this.busy.set(false);
        this.notifier.error(error);
      },
    });
  }

  protected remove(): void {
    const deposit = this.deposit.hasValue() ? this.deposit.value() : null;
    if (!deposit) return;
    this.confirmation
      .ask({
        title: this.i18n.t('deposits.deleteTitle'),
        message: this.i18n.t('deposits.deleteConfirm', { title: deposit.title }),
        confirm: this.i18n.t('common.delete'),
      })
      .subscribe((yes) => {
        if (!yes) return;
        this.api.delete(this.key(), this.id()).subscribe({
          next: () => {
            this.notifier.success(this.i18n.t('deposits.deleted'));
            void this.router.navigate(['/deposits', this.key()]);
          },
          error: (error: unknown) => this.notifier.error(error),
        });
      });
  }

  protected describe(error: unknown): string {
    return describeError(error, this.i18n);
  }
}

/**
 * The entries as an indented tree: folders first in their parent, then by name; a folder that an
 * archive only implies (`a/b.txt` without `a/`) is shown too.
 */
export function tree(entries: readonly ArchiveEntry[]): Row[] {
  const split = (path: string) => path.replace(/\\/g, '/').replace(/\/+$/, '').split('/');
  const folders = new Set(entries.filter((e) => e.directory).map((e) => split(e.path).join('/')));
  const all: { parts: string[]; entry: ArchiveEntry }[] = entries.map((entry) => ({ parts: split(entry.path), entry }));
  for (const { parts } of [...all]) {
    for (let i = 1; i < parts.length; i++) {
      const folder = parts.slice(0, i).join('/');
      if (folders.has(folder)) continue;
      folders.add(folder);
      all.push({ parts: parts.slice(0, i), entry: { path: `${folder}/`, directory: true, size: 0, compressedSize: null, modifiedAt: null, warnings: [] } });
    }
  }
  const compare = (a: { parts: string[]; entry: ArchiveEntry }, b: { parts: string[]; entry: ArchiveEntry }): number => {
    for (let i = 0; i < Math.min(a.parts.length, b.parts.length); i++) {
      if (a.parts[i] === b.parts[i]) continue;
      // At the first difference: a folder (a part with more after it, or a directory entry) before a file.
      const aFolder = i < a.parts.length - 1 || a.entry.directory;
      const bFolder = i < b.parts.length - 1 || b.entry.directory;
      if (aFolder !== bFolder) return aFolder ? -1 : 1;
      return a.parts[i]!.localeCompare(b.parts[i]!);
    }
    return a.parts.length - b.parts.length;
  };
  return all.sort(compare).map(({ parts, entry }) => ({ entry, depth: Math.min(parts.length - 1, 12), name: parts.at(-1) || entry.path }));
}
