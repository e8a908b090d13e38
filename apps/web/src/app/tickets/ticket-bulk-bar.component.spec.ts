import { Component, signal } from '@angular/core';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { DEFAULT_TYPOLOGIES, type BulkResult, type BulkTicketRequest } from '@guichet/contracts';
import { of } from 'rxjs';
import { TicketsApi } from '../core/api/tickets.api';
import { Confirmation } from '../shared/confirm-dialog.component';
import { type BulkSelection, TicketBulkBarComponent } from './ticket-bulk-bar.component';

@Component({
  imports: [TicketBulkBarComponent],
  template: `<gch-ticket-bulk-bar [selection]="selection()" [typologies]="typologies" (changed)="changes = changes + 1" />`,
})
class Host {
  readonly selection = signal<BulkSelection>({ keys: ['HWEB-1', 'HWEB-2', 'HWEB-3'] });
  readonly typologies = DEFAULT_TYPOLOGIES;
  changes = 0;
}

describe('the bulk action bar of the ticket list', () => {
  let fixture: ComponentFixture<Host>;
  const sent: BulkTicketRequest[] = [];
  const undone: string[] = [];
  const result: BulkResult = {
    id: '7d7c1a52-4a4b-4b59-9d0e-3f3c2a9b8e11',
    action: 'status',
    cap: 1000,
    capped: false,
    counts: { done: 1, unchanged: 0, refused: 1, not_found: 1 },
    results: [
      { key: 'HWEB-1', outcome: 'done' },
      { key: 'HWEB-2', outcome: 'refused', refusal: 'status_not_allowed', reason: 'A incident cannot go from closed to assigned.' },
      { key: 'HWEB-3', outcome: 'not_found' },
    ],
    undoUntil: new Date(Date.now() + 60_000).toISOString(),
  };
  const element = (): HTMLElement => fixture.nativeElement as HTMLElement;
  const bar = (): { form: { patchValue(v: object): void }; apply(): void } =>
    fixture.debugElement.children[0]!.componentInstance as { form: { patchValue(v: object): void }; apply(): void };
  const button = (pattern: RegExp): HTMLButtonElement => {
    const found = [...element().querySelectorAll('button')].find((b) => pattern.test(b.textContent?.trim() ?? ''));
    if (!found) throw new Error(`no button ${pattern}`);
    return found;
  };

  beforeEach(async () => {
    localStorage.clear();
    sent.length = 0;
    undone.length = 0;
    TestBed.configureTestingModule({
      providers: [
        {
          provide: TicketsApi,
          useValue: {
            bulk: (r: BulkTicketRequest) => (sent.push(r), of(result)),
            undoBulk: (id: string) => (undone.push(id), of({ id, counts: { restored: 1, changed_since: 0, not_found: 0 }, results: [] })),
          },
        },
        { provide: Confirmation, useValue: { ask: () => of(true) } },
      ],
    });
    fixture = TestBed.createComponent(Host);
    await fixture.whenStable();
  });

  it('says how many tickets are selected, and sends one request naming them with the chosen action', async () => {
    expect(element().querySelector('h2')?.textContent?.trim()).toBe('3 demandes sélectionnées');
    bar().form.patchValue({ action: 'reply', text: 'Coupure réseau en cours.' });
    bar().apply();
    await fixture.whenStable();
    expect(sent).toEqual([{ keys: ['HWEB-1', 'HWEB-2', 'HWEB-3'], comment: { body: 'Coupure réseau en cours.', visibility: 'public' } }]);
    expect(fixture.componentInstance.changes).toBe(1);
  });

  it('sends the filter, not keys, for every ticket matching it, and says the cap', async () => {
    fixture.componentInstance.selection.set({ filter: { status: ['new'] }, count: 4321 });
    await fixture.whenStable();
    expect(element().querySelector('h2')?.textContent).toMatch(/^Les 1\s000 premières demandes correspondant au filtre/);
    bar().form.patchValue({ action: 'status', status: 'assigned' });
    bar().apply();
    expect(sent).toEqual([{ filter: { status: ['new'] }, status: 'assigned' }]);
  });

  it('lists each ticket not changed with its reason, and offers the undo while it lasts', async () => {
    bar().form.patchValue({ action: 'status', status: 'assigned' });
    bar().apply();
    await fixture.whenStable();
    const problems = [...element().querySelectorAll('.gch-bulk-problems li')].map((li) => li.textContent?.replace(/\s+/g, ' ').trim());
    expect(problems).toEqual(['HWEB-2 : ce statut n’est pas possible depuis son statut actuel', 'HWEB-3 : introuvable, ou vous ne pouvez pas la modifier']);
    button(/^Annuler \(\d+ s\)$/).click();
    await fixture.whenStable();
    expect(undone).toEqual([result.id]);
    expect(element().textContent).toContain('1 demande remise comme avant.');
  });
});
