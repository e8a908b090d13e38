import { ChangeDetectionStrategy, Component, computed, inject, input, output, signal } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { CMDB_RELATION_KINDS, type CmdbItemRelations } from '@guichet/contracts';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatSelectModule } from '@angular/material/select';
import { RouterLink } from '@angular/router';
import { CmdbApi } from '../core/api/cmdb.api';
import { describeError } from '../core/http/api-error';
import { I18n } from '../core/i18n/i18n.service';
import { TranslatePipe } from '../core/i18n/t.pipe';
import { Notifier } from '../shared/notifier';
import { runAction } from '../shared/run-action';
import { relationLabel, typeName } from './cmdb-labels';
import type { CiItem, PickedItem, RelationKind, RelationView } from './cmdb-model';
import { CiPickerComponent } from './ci-picker.component';
import { CiStatusComponent } from './ci-status.component';

/** Outgoing then incoming relations, each read from the item's side. */
function readFromItem(relations: CmdbItemRelations): RelationView[] {
  return [
    ...relations.outgoing.map((r) => ({ id: r.id, kind: r.kind, direction: 'out' as const, other: r.to })),
    ...relations.incoming.map((r) => ({ id: r.id, kind: r.kind, direction: 'in' as const, other: r.from })),
  ];
}

/** A relation as offered in the form: its type read from this item's side ("runs on", "hosts"). */
interface RelationChoice {
  value: string;
  kind: RelationKind;
  direction: 'out' | 'in';
}

/** The item's relations, read from its side, with adding (searching the other item) and removing. */
@Component({
  selector: 'gch-ci-relations',
  imports: [FormsModule, RouterLink, MatButtonModule, MatFormFieldModule, MatSelectModule, TranslatePipe, CiPickerComponent, CiStatusComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (relations.error(); as error) {
      <p class="gch-alert gch-alert--error" role="alert">{{ describe(error) }}</p>
    }
    @if (relations.hasValue()) {
      @if (views().length === 0) {
        <p class="gch-muted">{{ 'cmdb.noRelations' | t }}</p>
      } @else {
        <ul class="gch-plain-list gch-ci-relation-list" data-testid="ci-relations">
          @for (relation of views(); track relation.id) {
            @let label = relationLabel(relation.kind, relation.direction, i18n.locale());
            <li>
              <span>{{ label }}</span>
              @if (relation.other.limited) {
                <span class="gch-ci-name">{{ relation.other.name }}</span>
              } @else {
                <a class="gch-ci-name" [routerLink]="['/cmdb', relation.other.id]">{{ relation.other.name }}</a>
              }
              <span class="gch-muted">({{ typeName(relation.other.type, i18n.locale()) }})</span>
              @if (relation.other.status) {
                <gch-ci-status [status]="relation.other.status" />
              }
              @if (item().canEdit) {
                <button mat-button type="button" class="gch-danger-text" [disabled]="busy()" (click)="remove(relation)">
                  {{ 'common.remove' | t }}<span class="gch-sr-only"> {{ label }} {{ relation.other.name }}</span>
                </button>
              }
            </li>
          }
        </ul>
      }
    }
    @if (item().canEdit) {
      <form class="gch-row" (ngSubmit)="add()" [attr.aria-label]="'cmdb.addRelation' | t" novalidate>
        <mat-form-field class="gch-ci-filter">
          <mat-label>{{ 'cmdb.relationType' | t }}</mat-label>
          <mat-select [(ngModel)]="choice" name="choice" data-testid="relation-type">
            @for (option of choices; track option.value) {
              <mat-option [value]="option.value">{{ relationLabel(option.kind, option.direction, i18n.locale()) }}</mat-option>
            }
          </mat-select>
        </mat-form-field>
        <gch-ci-picker class="gch-grow" label="cmdb.relationTarget" testId="relation-target" [exclude]="excluded()" [(item)]="target" />
        <div class="gch-actions">
          <button mat-flat-button type="submit" [disabled]="busy()">{{ 'cmdb.addRelation' | t }}</button>
        </div>
      </form>
      @if (missingTarget()) {
        <p class="gch-alert gch-alert--error" role="alert">{{ 'cmdb.relationPickTarget' | t }}</p>
      }
    }
  `,
  styles: `
    .gch-ci-relation-list li {
      display: flex;
      flex-wrap: wrap;
      gap: 0.25rem 0.5rem;
      align-items: center;
      padding: 0.25rem 0;
    }
  `,
})
export class CiRelationsComponent {
  private readonly api = inject(CmdbApi);
  private readonly notifier = inject(Notifier);
  protected readonly i18n = inject(I18n);

  readonly item = input.required<CiItem>();
  readonly changed = output<void>();

  protected readonly relations = rxResource({ params: () => this.item().id, stream: ({ params }) => this.api.relations(params) });
  /** Both readings of each kind, except where they are the same ("connected to"). */
  protected readonly choices: RelationChoice[] = CMDB_RELATION_KINDS.flatMap((kind) =>
    (kind === 'connected_to' ? (['out'] as const) : (['out', 'in'] as const)).map((direction) => ({ value: `${kind}:${direction}`, kind, direction })),
  );
  protected readonly views = computed<RelationView[]>(() => (this.relations.hasValue() ? readFromItem(this.relations.value()) : []));
  protected choice = 'runs_on:out';
  protected readonly target = signal<PickedItem | null>(null);
  protected readonly busy = signal(false);
  protected readonly missingTarget = signal(false);
  protected readonly excluded = computed(() => [this.item().id]);
  protected readonly relationLabel = relationLabel;
  protected readonly typeName = typeName;

  protected add(): void {
    const target = this.target();
    if (!target) {
      this.missingTarget.set(true);
      return;
    }
    this.missingTarget.set(false);
    const chosen = this.choices.find((c) => c.value === this.choice) ?? this.choices[0]!;
    const self = this.item().id;
    const request = chosen.direction === 'out' ? { fromId: self, toId: target.id, kind: chosen.kind } : { fromId: target.id, toId: self, kind: chosen.kind };
    runAction(this.busy, this.notifier, this.api.addRelation(request), () => {
      this.target.set(null);
      this.notifier.success(this.i18n.t('cmdb.relationAdded'));
      this.relations.reload();
      this.changed.emit();
    });
  }

  protected remove(relation: RelationView): void {
    runAction(this.busy, this.notifier, this.api.removeRelation(relation.id), () => {
      this.notifier.success(this.i18n.t('cmdb.relationRemoved'));
      this.relations.reload();
      this.changed.emit();
    });
  }

  protected describe(error: unknown): string {
    return describeError(error, this.i18n);
  }
}
