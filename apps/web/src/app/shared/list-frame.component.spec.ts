import { HttpErrorResponse } from '@angular/common/http';
import { Component, signal } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import type { Page } from '@guichet/contracts';
import { Subject, type Observable } from 'rxjs';
import { KeysetList } from './keyset-list';
import { ListFrameComponent, ListRowsDirective, type ListSource } from './list-frame.component';

@Component({
  imports: [ListFrameComponent, ListRowsDirective],
  template: `
    <gch-list-frame [source]="source()" [counted]="counted()">
      <p gchListEmpty class="nothing">Rien ici.</p>
      <ng-template gchListRows let-rows>
        <ul>
          @for (row of rows; track $index) {
            <li>{{ row }}</li>
          }
        </ul>
      </ng-template>
    </gch-list-frame>
  `,
})
class ResourceHost {
  readonly answers = new Subject<string[]>();
  readonly list = rxResource({ stream: () => this.answers as Observable<string[]> });
  readonly source = signal<ListSource>(this.list);
  readonly counted = signal(false);
}

const notFound = new HttpErrorResponse({ status: 404, error: { code: 'NOT_FOUND', message: '' } });

describe('the list frame', () => {
  let fixture: ComponentFixture<ResourceHost>;
  let host: ResourceHost;
  const element = (): HTMLElement => fixture.nativeElement as HTMLElement;
  const text = (selector: string): string[] => [...element().querySelectorAll(selector)].map((node) => node.textContent?.trim() ?? '');

  // A loading resource is pending work: whenStable() would wait for the answer the test holds back.
  const settle = async (): Promise<void> => {
    await new Promise((resolve) => setTimeout(resolve));
    fixture.detectChanges();
  };

  beforeEach(async () => {
    localStorage.clear();
    fixture = TestBed.createComponent(ResourceHost);
    host = fixture.componentInstance;
    await settle();
  });

  describe('around a resource', () => {
    it('shows only the progress bar while the list loads', () => {
      expect(element().querySelector('mat-progress-bar')).not.toBeNull();
      expect(text('.nothing')).toEqual([]);
      expect(text('li')).toEqual([]);
    });

    it('shows the rows, in the table frame, once loaded', async () => {
      host.answers.next(['Ministère de la Culture', 'Ministère des Armées']);
      await settle();
      expect(element().querySelector('mat-progress-bar')).toBeNull();
      expect(text('.gch-table-wrap li')).toEqual(['Ministère de la Culture', 'Ministère des Armées']);
      expect(text('.nothing')).toEqual([]);
    });

    it('shows the empty message instead of an empty table', async () => {
      host.answers.next([]);
      await settle();
      expect(text('.nothing')).toEqual(['Rien ici.']);
      expect(element().querySelector('.gch-table-wrap')).toBeNull();
    });

    it('says what went wrong, in words, and nothing else', async () => {
      host.answers.error(notFound);
      await settle();
      expect(text('[role="alert"]')).toEqual(['Cet élément n’existe pas ou ne vous est pas accessible.']);
      expect(text('.nothing')).toEqual([]);
      expect(element().querySelector('.gch-table-wrap')).toBeNull();
    });
  });

  describe('around a keyset list', () => {
    let pages: Subject<Page<string>>;
    let list: KeysetList<string, string>;

    beforeEach(async () => {
      pages = new Subject<Page<string>>();
      list = new KeysetList<string, string>(() => pages);
      host.source.set(list);
      host.counted.set(true);
      list.load('');
      await settle();
    });

    it('keeps its rows under an error and the progress bar below them', async () => {
      pages.next({ items: ['A', 'B'], total: 5, nextCursor: 'c2' });
      await settle();
      expect(text('.gch-count')).toEqual(['2 affichés sur 5']);
      const more = element().querySelector<HTMLButtonElement>('.gch-actions button');
      expect(more?.textContent?.trim()).toBe('Afficher plus');

      more?.click();
      await settle();
      const bar = element().querySelector('mat-progress-bar');
      const table = element().querySelector('.gch-table-wrap');
      expect(bar && table && table.compareDocumentPosition(bar) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();

      pages.error(notFound);
      await settle();
      expect(text('[role="alert"]')).toEqual(['Cet élément n’existe pas ou ne vous est pas accessible.']);
      expect(text('li')).toEqual(['A', 'B']);
    });

    it('shows the empty message once the first page is empty, not while it loads', async () => {
      expect(text('.nothing')).toEqual([]);
      pages.next({ items: [], total: 0 });
      await settle();
      expect(text('.nothing')).toEqual(['Rien ici.']);
      expect(text('.gch-count')).toEqual(['0 affiché sur 0']);
      expect(element().querySelector('.gch-actions button')).toBeNull();
    });
  });
});
