import { ChangeDetectionStrategy, Component, effect, inject, input, output, signal, viewChildren } from '@angular/core';
import { FormBuilder, FormGroupDirective, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { RIGHTS, type Profile, type Right } from '@guichet/contracts';
import { ProfilesApi } from '../../core/api/profiles.api';
import { rightKey } from '../../core/i18n/dictionary';
import { I18n } from '../../core/i18n/i18n.service';
import { TranslatePipe } from '../../core/i18n/t.pipe';
import { Confirmation } from '../../shared/confirm-dialog.component';
import { Notifier } from '../../shared/notifier';
import { resetSubmittedForm } from '../../shared/form-reset';
import { runAction } from '../../shared/run-action';

const PROFILE_CODE_PATTERN = /^[a-z][a-z0-9-]{1,39}$/;

/** Edits one profile (names and the rights grid), or creates one when `profile` is not given. */
@Component({
  selector: 'gch-profile-editor',
  imports: [ReactiveFormsModule, MatButtonModule, MatCheckboxModule, MatFormFieldModule, MatInputModule, TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './profile-editor.component.html',
  styleUrl: './profile-editor.component.scss',
})
export class ProfileEditorComponent {
  private readonly api = inject(ProfilesApi);
  private readonly notifier = inject(Notifier);
  private readonly confirmation = inject(Confirmation);
  private readonly i18n = inject(I18n);

  readonly profile = input<Profile>();
  readonly changed = output<void>();

  protected readonly rights = RIGHTS.map((code) => ({ code, label: rightKey(code) }));
  protected readonly form = inject(FormBuilder).nonNullable.group({
    code: ['', [Validators.required, Validators.pattern(PROFILE_CODE_PATTERN)]],
    nameFr: ['', [Validators.required, Validators.maxLength(100)]],
    nameEn: ['', [Validators.required, Validators.maxLength(100)]],
  });
  protected readonly selected = signal<ReadonlySet<Right>>(new Set());
  protected readonly busy = signal(false);
  private readonly formDirectives = viewChildren(FormGroupDirective);

  constructor() {
    effect(() => {
      const profile = this.profile();
      if (profile) {
        this.form.reset({ code: profile.code, nameFr: profile.nameFr, nameEn: profile.nameEn });
        this.form.controls.code.disable();
        this.selected.set(new Set(profile.rights));
      }
    });
  }

  protected toggle(right: Right, checked: boolean): void {
    this.selected.update((current) => {
      const next = new Set(current);
      if (checked) next.add(right);
      else next.delete(right);
      return next;
    });
  }

  protected save(): void {
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    const { code, nameFr, nameEn } = this.form.getRawValue();
    // Keep the contracts' order so that the saved list is stable.
    const rights = RIGHTS.filter((right) => this.selected().has(right));
    const existing = this.profile();
    if (existing) {
      runAction(this.busy, this.notifier, this.api.update(existing.id, { nameFr: nameFr.trim(), nameEn: nameEn.trim(), rights }), () => {
        this.notifier.success(this.i18n.t('common.saved'));
        this.changed.emit();
      });
    } else {
      runAction(this.busy, this.notifier, this.api.create({ code, nameFr: nameFr.trim(), nameEn: nameEn.trim(), rights }), () => {
        this.notifier.success(this.i18n.t('profiles.created'));
        resetSubmittedForm(this.form, this.formDirectives());
        this.selected.set(new Set());
        this.changed.emit();
      });
    }
  }

  protected remove(profile: Profile): void {
    const name = this.i18n.locale() === 'fr' ? profile.nameFr : profile.nameEn;
    this.confirmation
      .ask({ title: this.i18n.t('common.delete'), message: this.i18n.t('profiles.deleteConfirm', { name }), confirm: this.i18n.t('common.delete') })
      .subscribe((yes) => {
        if (!yes) return;
        runAction(this.busy, this.notifier, this.api.delete(profile.id), () => {
          this.notifier.success(this.i18n.t('profiles.deleted'));
          this.changed.emit();
        });
      });
  }
}
