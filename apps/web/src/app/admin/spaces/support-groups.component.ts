import { ChangeDetectionStrategy, Component, inject, input, signal } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { FormBuilder, type FormGroupDirective, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import type { PersonRef, SupportGroup } from '@guichet/contracts';
import { SpacesApi } from '../../core/api/spaces.api';
import { I18n } from '../../core/i18n/i18n.service';
import { TranslatePipe } from '../../core/i18n/t.pipe';
import { Confirmation } from '../../shared/confirm-dialog.component';
import { resetSubmittedForm } from '../../shared/form-reset';
import { Notifier } from '../../shared/notifier';
import { AccountPickerComponent } from '../../shared/account-picker.component';
import { runAction } from '../../shared/run-action';

/** The support groups of a space (teams of agents tickets can be assigned to), on the space's page. */
@Component({
  selector: 'gch-support-groups',
  imports: [ReactiveFormsModule, MatButtonModule, MatCardModule, MatFormFieldModule, MatInputModule, TranslatePipe, AccountPickerComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './support-groups.component.html',
})
export class SupportGroupsComponent {
  private readonly api = inject(SpacesApi);
  private readonly notifier = inject(Notifier);
  private readonly confirmation = inject(Confirmation);
  private readonly i18n = inject(I18n);
  private readonly fb = inject(FormBuilder).nonNullable;

  readonly spaceId = input.required<string>();

  protected readonly groups = rxResource({ params: () => this.spaceId(), stream: ({ params }) => this.api.supportGroups(params) });
  protected readonly form = this.fb.group({ name: ['', [Validators.required, Validators.maxLength(100)]] });
  /** The person chosen to join each group, by group id. */
  protected readonly joining = signal<Record<string, PersonRef | null>>({});
  protected readonly busy = signal(false);
  /** The group being renamed, if any, and the name typed. */
  protected readonly renaming = signal<string | null>(null);
  protected readonly newName = this.fb.control('', [Validators.required, Validators.maxLength(100)]);
  protected readonly searchTeam = (q: string) => this.api.supportTeam(this.spaceId(), q);

  protected create(directive: FormGroupDirective): void {
    const name = this.form.controls.name.value.trim();
    if (!name) {
      this.form.controls.name.setValue('');
      this.form.markAllAsTouched();
      return;
    }
    runAction(this.busy, this.notifier, this.api.createSupportGroup(this.spaceId(), { name }), (group) => {
      this.notifier.success(this.i18n.t('groups.created', { name: group.name }));
      resetSubmittedForm(this.form, [directive]);
      this.groups.reload();
    });
  }

  protected chosenFor(group: SupportGroup): PersonRef | null {
    return this.joining()[group.id] ?? null;
  }

  protected choose(group: SupportGroup, person: PersonRef | null): void {
    this.joining.update((all) => ({ ...all, [group.id]: person }));
  }

  protected addMember(group: SupportGroup): void {
    const person = this.chosenFor(group);
    if (!person) return;
    runAction(this.busy, this.notifier, this.api.addGroupMember(group.id, person.id), () => {
      this.notifier.success(this.i18n.t('groups.memberAdded', { name: person.displayName, group: group.name }));
      this.choose(group, null);
      this.groups.reload();
    });
  }

  protected removeMember(group: SupportGroup, person: PersonRef): void {
    runAction(this.busy, this.notifier, this.api.removeGroupMember(group.id, person.id), () => {
      this.notifier.success(this.i18n.t('groups.memberRemoved', { name: person.displayName, group: group.name }));
      this.groups.reload();
    });
  }

  protected startRename(group: SupportGroup): void {
    this.newName.reset(group.name);
    this.renaming.set(group.id);
  }

  protected rename(group: SupportGroup): void {
    const name = this.newName.value.trim();
    if (!name) {
      this.newName.markAsTouched();
      return;
    }
    runAction(this.busy, this.notifier, this.api.updateSupportGroup(group.id, { name }), (renamed) => {
      this.notifier.success(this.i18n.t('groups.renamed', { name: renamed.name }));
      this.renaming.set(null);
      this.groups.reload();
    });
  }

  protected remove(group: SupportGroup): void {
    this.confirmation
      .ask({
        title: this.i18n.t('groups.deleteTitle'),
        message: this.i18n.t('groups.deleteConfirm', { name: group.name }),
        confirm: this.i18n.t('common.delete'),
      })
      .subscribe((yes) => {
        if (!yes) return;
        runAction(this.busy, this.notifier, this.api.deleteSupportGroup(group.id), () => {
          this.notifier.success(this.i18n.t('groups.deleted', { name: group.name }));
          this.groups.reload();
        });
      });
  }
}
