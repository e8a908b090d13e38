import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { MAT_DIALOG_DATA, MatDialogRef } from '@angular/material/dialog';
import { TransitionDialogComponent, type TransitionDialogData } from './transition-dialog.component';

describe('the status change dialog', () => {
  let fixture: ComponentFixture<TransitionDialogComponent>;
  let closed: unknown[];
  const element = (): HTMLElement => fixture.nativeElement as HTMLElement;
  const text = (): string => element().textContent ?? '';

  async function open(data: TransitionDialogData): Promise<void> {
    localStorage.clear();
    closed = [];
    TestBed.configureTestingModule({
      providers: [
        { provide: MAT_DIALOG_DATA, useValue: data },
        { provide: MatDialogRef, useValue: { close: (value: unknown) => closed.push(value) } },
      ],
    });
    fixture = TestBed.createComponent(TransitionDialogComponent);
    await fixture.whenStable();
  }

  async function submit(comment: string): Promise<void> {
    const area = element().querySelector('textarea')!;
    area.value = comment;
    area.dispatchEvent(new Event('input'));
    element().querySelector('form')!.dispatchEvent(new Event('submit'));
    fixture.detectChanges();
    await fixture.whenStable();
  }

  it('resolving asks for the solution given, and will not close without one', async () => {
    await open({ title: 'Passer la demande HWEB-1 au statut « Résolu » ?', confirm: 'Passer à « Résolu »', resolution: true });
    expect(text()).toContain('Solution apportée');
    expect(text()).not.toContain('Commentaire public');
    await submit('');
    await submit('   \n ');
    expect(closed).toEqual([]);
    expect(text()).toContain('Ce champ est obligatoire.');
    await submit('  Certificat renouvelé. ');
    expect(closed).toEqual([{ comment: 'Certificat renouvelé.' }]);
  });

  it('other moves take an optional public comment', async () => {
    await open({ title: 'Passer la demande HWEB-1 au statut « Affecté » ?', confirm: 'Passer à « Affecté »', resolution: false });
    expect(text()).toContain('Commentaire public');
    expect(text()).not.toContain('Solution apportée');
    await submit('');
    expect(closed).toEqual([{ comment: '' }]);
  });
});
