import { Component, signal } from '@angular/core';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { DetailsCardComponent, type Details } from './details-card.component';

@Component({
  imports: [DetailsCardComponent],
  template: `
    <gch-details-card
      heading="spaces.editTitle"
      nameLabel="common.name"
      deleteLabel="spaces.deleteTitle"
      [details]="details()"
      (saved)="saved.push($event)"
      (deleted)="deletions = deletions + 1"
    />
  `,
})
class Host {
  readonly details = signal<Details>({ name: 'Ministère de la Culture', description: 'Sites web' });
  readonly saved: Details[] = [];
  deletions = 0;
}

describe('the details card of a space or a project', () => {
  let fixture: ComponentFixture<Host>;
  let host: Host;
  const element = (): HTMLElement => fixture.nativeElement as HTMLElement;
  const field = (name: string): HTMLInputElement => {
    const input = element().querySelector<HTMLInputElement>(`input[formcontrolname="${name}"]`);
    if (!input) throw new Error(`no field ${name}`);
    return input;
  };
  const type = (name: string, value: string): void => {
    field(name).value = value;
    field(name).dispatchEvent(new Event('input'));
  };
  const button = (text: string): HTMLButtonElement => {
    const found = [...element().querySelectorAll('button')].find((candidate) => candidate.textContent?.trim() === text);
    if (!found) throw new Error(`no button ${text}`);
    return found;
  };

  beforeEach(async () => {
    localStorage.clear();
    fixture = TestBed.createComponent(Host);
    host = fixture.componentInstance;
    await fixture.whenStable();
  });

  it('shows the stored details, and shows them again when they change', async () => {
    expect(element().querySelector('h2')?.textContent).toBe('Informations de l’espace');
    expect(field('name').value).toBe('Ministère de la Culture');
    expect(field('description').value).toBe('Sites web');
    host.details.set({ name: 'Ministère des Armées', description: '' });
    await fixture.whenStable();
    expect(field('name').value).toBe('Ministère des Armées');
  });

  it('saves the details trimmed, and never an empty name', async () => {
    type('name', '');
    button('Enregistrer').click();
    await fixture.whenStable();
    expect(element().querySelector('mat-error')?.textContent?.trim()).toBe('Ce champ est obligatoire.');
    expect(host.saved).toEqual([]);

    type('name', '  Culture  ');
    type('description', ' Sites et applications ');
    button('Enregistrer').click();
    expect(host.saved).toEqual([{ name: 'Culture', description: 'Sites et applications' }]);
  });

  it('asks the page to delete', () => {
    button('Supprimer l’espace').click();
    expect(host.deletions).toBe(1);
  });
});
