import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { FormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatTableModule } from '@angular/material/table';
import { Router, RouterLink } from '@angular/router';
import { allPages } from '../../core/api/all-pages';
import { SpacesApi } from '../../core/api/spaces.api';
import { describeError } from '../../core/http/api-error';
import { I18n } from '../../core/i18n/i18n.service';
import { DateTimePipe, TranslatePipe } from '../../core/i18n/t.pipe';
import { Notifier } from '../../shared/notifier';
import { ListFrameComponent, ListRowsDirective } from '../../shared/list-frame.component';

@Component({
  selector: 'gch-spaces-list',
  imports: [ListFrameComponent, ListRowsDirective, 
    ReactiveFormsModule,
    RouterLink,
    MatButtonModule,
    MatCardModule,
    MatFormFieldModule,
    MatInputModule,
    MatTableModule,
    TranslatePipe,
    DateTimePipe,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h1>{{ 'spaces.title' | t }}</h1>
    <p class="gch-lead">{{ 'spaces.intro' | t }}</p>

    <section class="gch-section">
      <gch-list-frame [source]="spaces">
        <p gchListEmpty class="gch-muted">{{ 'spaces.empty' | t }}</p>
        <ng-template gchListRows let-rows>
          <table mat-table [dataSource]="rows">
            <ng-container matColumnDef="name">
              <th mat-header-cell *matHeaderCellDef>{{ 'common.name' | t }}</th>
              <td mat-cell *matCellDef="let space">
                <a [routerLink]="[space.id]">{{ space.name }}</a>
              </td>
            </ng-container>
            <ng-container matColumnDef="description">
              <th mat-header-cell *matHeaderCellDef>{{ 'common.description' | t }}</th>
              <td mat-cell *matCellDef="let space">{{ space.description }}</td>
            </ng-container>
            <ng-container matColumnDef="projects">
              <th mat-header-cell *matHeaderCellDef>{{ 'spaces.projectCount' | t }}</th>
              <td mat-cell *matCellDef="let space">{{ space.projectCount }}</td>
            </ng-container>
            <ng-container matColumnDef="createdAt">
              <th mat-header-cell *matHeaderCellDef>{{ 'common.createdAt' | t }}</th>
              <td mat-cell *matCellDef="let space">{{ space.createdAt | dateTime: 'date' }}</td>
            </ng-container>
            <tr mat-header-row *matHeaderRowDef="columns"></tr>
            <tr mat-row *matRowDef="let row; columns: columns"></tr>
          </table>
        </ng-template>
      </gch-list-frame>
    </section>

    <mat-card appearance="outlined">
      <mat-card-header>
        <mat-card-title><h2>{{ 'spaces.createTitle' | t }}</h2></mat-card-title>
      </mat-card-header>
      <mat-card-content>
        <form [formGroup]="form" (ngSubmit)="create()" novalidate>
          <div class="gch-row">
            <mat-form-field class="gch-grow">
              <mat-label>{{ 'common.name' | t }}</mat-label>
              <input matInput formControlName="name" required maxlength="200" />
              @if (form.controls.name.hasError('required')) {
                <mat-error>{{ 'common.required' | t }}</mat-error>
              }
            </mat-form-field>
            <mat-form-field class="gch-grow">
              <mat-label>{{ 'common.description' | t }} ({{ 'common.optional' | t }})</mat-label>
              <input matInput formControlName="description" maxlength="2000" />
            </mat-form-field>
          </div>
          <div class="gch-actions">
            <button mat-flat-button type="submit" [disabled]="busy()">{{ 'spaces.create' | t }}</button>
          </div>
        </form>
      </mat-card-content>
    </mat-card>
  `,
})
export class SpacesListComponent {
  private readonly api = inject(SpacesApi);
  private readonly router = inject(Router);
  private readonly notifier = inject(Notifier);
  private readonly i18n = inject(I18n);

  protected readonly columns = ['name', 'description', 'projects', 'createdAt'];
  protected readonly spaces = rxResource({ stream: () => allPages((cursor) => this.api.list({ cursor })) });
  protected readonly form = inject(FormBuilder).nonNullable.group({
    name: ['', [Validators.required, Validators.maxLength(200)]],
    description: [''],
  });
  protected readonly busy = signal(false);

  protected create(): void {
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    const { name, description } = this.form.getRawValue();
    this.busy.set(true);
    this.api.create({ name: name.trim(), description: description.trim() || undefined }).subscribe({
      next: (space) => {
        this.busy.set(false);
        this.notifier.success(this.i18n.t('spaces.created', { name: space.name }));
        void this.router.navigate(['/admin/spaces', space.id]);
      },
      error: (error: unknown) => {
        this.busy.set(false);
        this.notifier.error(error);
      },
    });
  }

  protected describe(error: unknown): string {
    return describeError(error, this.i18n);
  }
}
