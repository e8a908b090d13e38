import { HttpErrorResponse } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, computed, effect, inject, input, signal, untracked } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { type AbstractControl, FormBuilder, FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';
import { Router, RouterLink } from '@angular/router';
import { PROJECT_KEY_PATTERN, type CmdbAttributes, type CreateCmdbItemRequest, type PersonRef } from '@guichet/contracts';
import { of } from 'rxjs';
import { allPages } from '../core/api/all-pages';
import { CmdbApi } from '../core/api/cmdb.api';
import { ProjectsApi } from '../core/api/projects.api';
import { describeError } from '../core/http/api-error';
import { I18n } from '../core/i18n/i18n.service';
import { PageTitle } from '../core/i18n/page-title';
import { TranslatePipe } from '../core/i18n/t.pipe';
import { AccountPickerComponent } from '../shared/account-picker.component';
import { NotFoundComponent } from '../shared/not-found.component';
import { Notifier } from '../shared/notifier';
import { runAction } from '../shared/run-action';
import { attributeValidator, attributeValue } from './attribute-validators';
import { attributeLabel, ciStatusKey, typeName } from './cmdb-labels';
import { CI_STATUSES, type AttributeDefinition, type CiStatus, type CiType, type PickedItem } from './cmdb-model';
import { CiPickerComponent } from './ci-picker.component';

const CODE = /^[a-z][a-z0-9_]{0,39}$/;

/** Creates an item, or changes one (`id` given): its fields, then the attributes its type's schema asks for. */
@Component({
  selector: 'gch-ci-form',
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
    AccountPickerComponent,
    CiPickerComponent,
    NotFoundComponent,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './ci-form.component.html',
  styleUrl: './cmdb.scss',
})
export class CiFormComponent {
  private readonly api = inject(CmdbApi);
  private readonly projectsApi = inject(ProjectsApi);
  private readonly router = inject(Router);
  private readonly notifier = inject(Notifier);
  protected readonly i18n = inject(I18n);

  /** Route parameter when editing. */
  readonly id = input<string>();
  /** Query parameters when creating: the type and project chosen in the list. */
  readonly type = input<string>();
  readonly project = input<string>();

  protected readonly existing = rxResource({ params: () => this.id(), stream: ({ params }) => (params ? this.api.get(params) : of(null)) });
  protected readonly types = rxResource({ stream: () => this.api.types() });
  protected readonly projects = rxResource({ stream: () => allPages((cursor) => this.projectsApi.list({ cursor })) });
  protected readonly statuses = CI_STATUSES.map((status) => ({ status, label: ciStatusKey(status) }));
  protected readonly busy = signal(false);
  protected readonly owner = signal<PersonRef | null>(null);
  /** Reference attributes: the item chosen for each, by attribute key. */
  protected readonly references = signal<Record<string, PickedItem | null>>({});

  protected readonly form = inject(FormBuilder).nonNullable.group({
    name: ['', [Validators.required, Validators.maxLength(200)]],
    typeCode: ['', Validators.required],
    projectKey: ['', Validators.required],
    status: ['production' as CiStatus, Validators.required],
    tags: [''],
    shared: [false],
  });
  protected readonly attributeForm = new FormGroup<{ [key: string]: AbstractControl }>({});

  private readonly typeCode = signal('');
  protected readonly chosenType = computed<CiType | undefined>(() =>
    this.types.hasValue() ? this.types.value().find((t) => t.code === this.typeCode()) : undefined,
  );
  protected readonly schema = computed<AttributeDefinition[]>(() => this.chosenType()?.attributes ?? []);
  /** The attributes whose controls exist: the template shows these, never a field before its control. */
  protected readonly fields = signal<AttributeDefinition[]>([]);
  protected readonly notFound = computed(() => {
    const error = this.existing.error();
    return error instanceof HttpErrorResponse && error.status === 404;
  });
  protected readonly typeName = typeName;
  protected readonly attributeLabel = attributeLabel;

  constructor() {
    inject(PageTitle).describe(() => (this.existing.value() ? this.i18n.t('cmdb.editTitle', { name: this.existing.value()!.name }) : null));
    this.form.controls.typeCode.valueChanges.subscribe((code) => this.typeCode.set(code));
    // Creating: the type and project come from the list's filter when it had one.
    effect(() => {
      const type = this.type();
      const project = this.project();
      untracked(() => {
        if (this.id()) return;
        if (type && CODE.test(type)) this.form.controls.typeCode.setValue(type);
        if (project && PROJECT_KEY_PATTERN.test(project)) this.form.controls.projectKey.setValue(project);
      });
    });
    // Editing: the item's values, once read.
    effect(() => {
      const item = this.existing.value();
      if (!item) return;
      untracked(() => {
        this.form.reset({
          name: item.name,
          typeCode: item.type.code,
          projectKey: item.project.key,
          status: item.status,
          tags: item.tags.join(', '),
          shared: item.shared,
        });
        this.form.controls.typeCode.disable();
        this.form.controls.projectKey.disable();
        this.typeCode.set(item.type.code);
        this.owner.set(item.owner ? ({ id: item.owner.id, displayName: item.owner.displayName, email: '' } as PersonRef) : null);
      });
    });
    // One control per attribute of the type's schema, with the checks its kind calls for.
    effect(() => {
      const schema = this.schema();
      const item = this.existing.value();
      untracked(() => {
        for (const name of Object.keys(this.attributeForm.controls)) this.attributeForm.removeControl(name);
        for (const attribute of schema) {
          const current = item?.attributes[attribute.key];
          const initial = attribute.kind === 'boolean' ? current === true : attribute.kind === 'reference' ? (current ?? null) : (current ?? '');
          this.attributeForm.addControl(attribute.key, new FormControl<unknown>(initial, attributeValidator(attribute)));
          // A required attribute missing on a saved item is shown at once, not after a first save.
          if (item) this.attributeForm.controls[attribute.key]!.markAsTouched();
        }
        this.fields.set(schema);
      });
    });
  }

  protected error(attribute: AttributeDefinition): string | null {
    const control = this.attributeForm.controls[attribute.key];
    if (!control || !control.touched || !control.errors) return null;
    const label = attributeLabel(attribute, this.i18n.locale());
    const [code] = Object.keys(control.errors);
    switch (code) {
      case 'required':
        return this.i18n.t('cmdb.form.required', { label });
      case 'number':
        return this.i18n.t('cmdb.form.number', { label });
      case 'date':
        return this.i18n.t('cmdb.form.date', { label });
      case 'url':
        return this.i18n.t('cmdb.form.url', { label });
      case 'ip':
        return this.i18n.t('cmdb.form.ip', { label });
      case 'enum':
        return this.i18n.t('cmdb.form.enum', { label });
      default:
        return this.i18n.t('cmdb.form.tooLong', { label });
    }
  }

  protected pickReference(attribute: AttributeDefinition, item: PickedItem | null): void {
    this.references.update((refs) => ({ ...refs, [attribute.key]: item }));
    const control = this.attributeForm.controls[attribute.key]!;
    if (item) control.setValue(item.id);
    control.markAsTouched();
  }

  protected clearReference(attribute: AttributeDefinition): void {
    this.references.update((refs) => ({ ...refs, [attribute.key]: null }));
    this.attributeForm.controls[attribute.key]!.setValue(null);
    this.attributeForm.controls[attribute.key]!.markAsTouched();
  }

  protected save(): void {
    this.form.markAllAsTouched();
    this.attributeForm.markAllAsTouched();
    if (this.form.invalid || this.attributeForm.invalid) {
      this.notifier.error(this.i18n.t('cmdb.form.fix'));
      document.querySelector<HTMLElement>('.gch-ci-form .ng-invalid input, .gch-ci-form .ng-invalid mat-select')?.focus();
      return;
    }
    const value = this.form.getRawValue();
    const attributes: CmdbAttributes = {};
    for (const attribute of this.schema()) {
      const sent = attributeValue(attribute, this.attributeForm.controls[attribute.key]?.value);
      if (sent !== undefined) attributes[attribute.key] = sent as string | number | boolean;
    }
    const request: CreateCmdbItemRequest = {
      name: value.name.trim(),
      type: value.typeCode,
      project: value.projectKey,
      status: value.status,
      ownerId: this.owner()?.id ?? null,
      tags: [
        ...new Set(
          value.tags
            .split(',')
            .map((t) => t.trim())
            .filter(Boolean),
        ),
      ],
      shared: value.shared,
      attributes,
    };
    const id = this.id();
    const { project: _project, type: _type, ...changes } = request;
    const call = id ? this.api.update(id, changes) : this.api.create(request);
    runAction(this.busy, this.notifier, call, (item) => {
      this.notifier.success(this.i18n.t(id ? 'cmdb.saved' : 'cmdb.created', { name: item.name }));
      void this.router.navigate(['/cmdb', item.id]);
    });
  }

  protected describe(error: unknown): string {
    return describeError(error, this.i18n);
  }
}
