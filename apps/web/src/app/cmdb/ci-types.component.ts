import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { type FormArray, FormBuilder, ReactiveFormsModule, Validators, type AbstractControl, type ValidationErrors } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';
import { RouterLink } from '@angular/router';
import { CmdbApi } from '../core/api/cmdb.api';
import { describeError } from '../core/http/api-error';
import { I18n } from '../core/i18n/i18n.service';
import { TranslatePipe } from '../core/i18n/t.pipe';
import { Confirmation } from '../shared/confirm-dialog.component';
import { Notifier } from '../shared/notifier';
import { runAction } from '../shared/run-action';
import { attributeKindKey, typeName } from './cmdb-labels';
import type { UpdateCmdbTypeRequest } from '@guichet/contracts';
import { ATTRIBUTE_KINDS, type AttributeDefinition, type AttributeKind, type CiType } from './cmdb-model';

const KEY = /^[a-z][a-z0-9_]{0,39}$/;

/** Two attributes of one type may not share a key. */
const distinctKeys = (array: AbstractControl): ValidationErrors | null => {
  const keys = (array.value as { key: string }[]).map((a) => a.key.trim()).filter(Boolean);
  return new Set(keys).size === keys.length ? null : { duplicate: true };
};

/** An enum needs at least one value. */
const enumValues = (group: AbstractControl): ValidationErrors | null => {
  const { kind, values } = group.value as { kind: AttributeKind; values: string };
  return kind === 'enum' && values.split(',').every((v) => v.trim() === '') ? { values: true } : null;
};

/** The types of configuration item and the attribute schema of each, for holders of `cmdb.manage`. */
@Component({
  selector: 'gch-ci-types',
  imports: [
    ReactiveFormsModule,
    RouterLink,
    MatButtonModule,
    MatCheckboxModule,
    MatFormFieldModule,
    MatInputModule,
    MatProgressBarModule,
    MatSelectModule,
    TranslatePipe,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './ci-types.component.html',
  styleUrl: './cmdb.scss',
})
export class CiTypesComponent {
  private readonly api = inject(CmdbApi);
  private readonly notifier = inject(Notifier);
  private readonly confirmation = inject(Confirmation);
  private readonly fb = inject(FormBuilder).nonNullable;
  protected readonly i18n = inject(I18n);

  protected readonly types = rxResource({ stream: () => this.api.types() });
  protected readonly editing = signal<CiType | null>(null);
  protected readonly busy = signal(false);
  protected readonly kinds = ATTRIBUTE_KINDS.map((kind) => ({ kind, label: attributeKindKey(kind) }));
  protected readonly typeName = typeName;
  protected readonly allTypes = computed(() => (this.types.hasValue() ? this.types.value() : []));

  protected readonly form = this.fb.group({
    code: ['', [Validators.required, Validators.pattern(KEY)]],
    nameFr: ['', [Validators.required, Validators.maxLength(80)]],
    nameEn: ['', [Validators.required, Validators.maxLength(80)]],
    attributes: this.fb.array<ReturnType<CiTypesComponent['attributeGroup']>>([], distinctKeys),
  });

  protected get attributes(): FormArray<ReturnType<CiTypesComponent['attributeGroup']>> {
    return this.form.controls.attributes;
  }

  private attributeGroup(a?: AttributeDefinition) {
    return this.fb.group(
      {
        key: [a?.key ?? '', [Validators.required, Validators.pattern(KEY)]],
        labelFr: [a?.labelFr ?? '', [Validators.required, Validators.maxLength(80)]],
        labelEn: [a?.labelEn ?? '', [Validators.required, Validators.maxLength(80)]],
        kind: [a?.kind ?? ('text' as AttributeKind)],
        required: [a?.required ?? false],
        values: [(a?.values ?? []).join(', ')],
        refTypes: [a?.refTypes ?? ([] as string[])],
      },
      { validators: enumValues },
    );
  }

  protected startNew(): void {
    this.editing.set(null);
    this.attributes.clear();
    this.form.reset({ code: '', nameFr: '', nameEn: '' });
    this.form.controls.code.enable();
    this.focusForm();
  }

  protected edit(type: CiType): void {
    this.editing.set(type);
    this.attributes.clear();
    for (const attribute of type.attributes) this.attributes.push(this.attributeGroup(attribute));
    this.form.reset({ code: type.code, nameFr: type.nameFr, nameEn: type.nameEn, attributes: this.attributes.getRawValue() });
    this.form.controls.code.disable();
    this.focusForm();
  }

  private focusForm(): void {
    setTimeout(() => document.getElementById('gch-type-form-title')?.scrollIntoView({ block: 'start' }));
  }

  protected addAttribute(): void {
    this.attributes.push(this.attributeGroup());
    setTimeout(() => document.getElementById(`gch-attr-key-${this.attributes.length - 1}`)?.focus());
  }

  protected removeAttribute(index: number): void {
    this.attributes.removeAt(index);
  }

  protected move(index: number, step: -1 | 1): void {
    const target = index + step;
    if (target < 0 || target >= this.attributes.length) return;
    const control = this.attributes.at(index);
    this.attributes.removeAt(index);
    this.attributes.insert(target, control);
    setTimeout(() => document.getElementById(`gch-attr-${step < 0 ? 'up' : 'down'}-${target}`)?.focus());
  }

  protected save(): void {
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      this.notifier.error(this.i18n.t('cmdb.form.fix'));
      return;
    }
    const value = this.form.getRawValue();
    const request: Required<Pick<UpdateCmdbTypeRequest, 'nameFr' | 'nameEn' | 'attributes'>> = {
      nameFr: value.nameFr.trim(),
      nameEn: value.nameEn.trim(),
      attributes: value.attributes.map((a) => ({
        key: a.key.trim(),
        labelFr: a.labelFr.trim(),
        labelEn: a.labelEn.trim(),
        kind: a.kind,
        required: a.required,
        ...(a.kind === 'enum'
          ? {
              values: a.values
                .split(',')
                .map((v) => v.trim())
                .filter(Boolean),
            }
          : {}),
        ...(a.kind === 'reference' ? { refTypes: a.refTypes } : {}),
      })),
    };
    const editing = this.editing();
    const call = editing ? this.api.updateType(editing.id, request) : this.api.createType({ ...request, code: value.code });
    runAction(this.busy, this.notifier, call, (type) => {
      this.notifier.success(this.i18n.t('cmdb.typeSaved', { name: typeName(type, this.i18n.locale()) }));
      this.types.reload();
      this.edit(type);
    });
  }

  protected remove(type: CiType): void {
    this.confirmation
      .ask({
        title: this.i18n.t('cmdb.typeDeleteTitle', { name: typeName(type, this.i18n.locale()) }),
        message: this.i18n.t('cmdb.typeDeleteMessage'),
        confirm: this.i18n.t('common.delete'),
      })
      .subscribe((yes) => {
        if (!yes) return;
        runAction(this.busy, this.notifier, this.api.deleteType(type.id), () => {
          this.notifier.success(this.i18n.t('cmdb.typeDeleted'));
          if (this.editing()?.id === type.id) this.startNew();
          this.types.reload();
        });
      });
  }

  protected describe(error: unknown): string {
    return describeError(error, this.i18n);
  }
}
