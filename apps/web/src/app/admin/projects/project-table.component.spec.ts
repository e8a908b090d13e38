import { Component, signal } from '@angular/core';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import type { Project } from '@guichet/contracts';
import { ProjectTableComponent } from './project-table.component';

const PROJECT: Project = {
  id: 'p1',
  key: 'HWEB',
  name: 'Sites web',
  description: 'Portails et sites vitrines',
  spaceId: 's1',
  spaceName: 'Ministère de la Culture',
  createdAt: '2026-12-07T08:00:00.000Z',
  myAccess: 'submit',
};

@Component({
  imports: [ProjectTableComponent],
  template: `<gch-project-table [projects]="projects" [last]="last()" />`,
})
class Host {
  readonly projects = [PROJECT];
  readonly last = signal<'description' | 'space'>('description');
}

describe('the project table', () => {
  let fixture: ComponentFixture<Host>;
  const element = (): HTMLElement => fixture.nativeElement as HTMLElement;
  const texts = (selector: string): string[] => [...element().querySelectorAll(selector)].map((cell) => cell.textContent?.trim() ?? '');

  beforeEach(async () => {
    localStorage.clear();
    TestBed.configureTestingModule({ providers: [provideRouter([])] });
    fixture = TestBed.createComponent(Host);
    await fixture.whenStable();
  });

  it('links each key to its project and ends with the description inside a space', () => {
    expect(texts('th')).toEqual(['Clé', 'Nom', 'Description']);
    expect(texts('td')).toEqual(['HWEB', 'Sites web', 'Portails et sites vitrines']);
    expect(element().querySelector('td a')?.getAttribute('href')).toBe('/admin/projects/HWEB');
  });

  it('ends with the space when it lists projects across spaces', async () => {
    fixture.componentInstance.last.set('space');
    await fixture.whenStable();
    expect(texts('th')).toEqual(['Clé', 'Nom', 'Espace']);
    expect(texts('td')).toEqual(['HWEB', 'Sites web', 'Ministère de la Culture']);
  });
});
