import { TestBed } from '@angular/core/testing';
import { Shortcuts, SHORTCUTS } from './shortcuts';

/** The shortcut service: fires from the page, never while typing, with a modifier, or under a dialog. */
describe('Shortcuts', () => {
  let shortcuts: Shortcuts;
  const fired: string[] = [];
  let remove: () => void;

  beforeEach(() => {
    fired.length = 0;
    document.body.innerHTML = `
      <input id="text" /><textarea id="area"></textarea><select id="choice"><option>a</option></select>
      <div id="editable" contenteditable="true"><span id="inside">x</span></div>
      <div role="combobox" id="combo" tabindex="0"></div>
      <button id="button">b</button><a id="link" href="/x">l</a><p id="plain">p</p>`;
    shortcuts = TestBed.inject(Shortcuts);
    shortcuts.start();
    remove = shortcuts.register({
      next: () => fired.push('next'),
      open: () => fired.push('open'),
      reply: () => fired.push('reply'),
      help: () => fired.push('help'),
      search: () => fired.push('search'),
    });
  });
  afterEach(() => remove());

  const press = (id: string, key: string, init: KeyboardEventInit = {}): KeyboardEvent => {
    const event = new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true, ...init });
    document.getElementById(id)!.dispatchEvent(event);
    return event;
  };

  it('runs the registered handler for a key pressed outside any field, and takes the key', () => {
    const event = press('plain', 'j');
    expect(fired).toEqual(['next']);
    expect(event.defaultPrevented).toBe(true);
    press('plain', '?', { shiftKey: true });
    press('plain', '/');
    expect(fired).toEqual(['next', 'help', 'search']);
  });

  it.each(['text', 'area', 'choice', 'editable', 'inside', 'combo'])('never fires while typing in %s, and leaves the key alone', (id) => {
    for (const key of ['j', 'r', '?', '/', 'Enter']) {
      expect(press(id, key).defaultPrevented).toBe(false);
    }
    expect(fired).toEqual([]);
  });

  it.each(['ctrlKey', 'altKey', 'metaKey'])('never fires with %s held', (modifier) => {
    press('plain', 'r', { [modifier]: true });
    press('plain', '/', { [modifier]: true });
    expect(fired).toEqual([]);
  });

  it('leaves Enter to a focused link or button, and keys without a shortcut alone', () => {
    press('link', 'Enter');
    press('button', 'Enter');
    expect(press('plain', 'x').defaultPrevented).toBe(false);
    expect(fired).toEqual([]);
    press('plain', 'Enter');
    expect(fired).toEqual(['open']);
  });

  it('does nothing for an action no page registered (assign to me outside a ticket)', () => {
    expect(press('plain', 'a').defaultPrevented).toBe(false);
  });

  it('never fires while a dialog is open', () => {
    const overlay = document.createElement('div');
    overlay.className = 'cdk-overlay-container';
    overlay.innerHTML = '<div role="dialog"></div>';
    document.body.appendChild(overlay);
    press('plain', 'j');
    expect(fired).toEqual([]);
    overlay.remove();
  });

  it('gives an action to the latest registration, and back when it goes', () => {
    const later = shortcuts.register({ next: () => fired.push('later') });
    press('plain', 'j');
    later();
    press('plain', 'j');
    expect(fired).toEqual(['later', 'next']);
  });

  it('lists each key once in the table', () => {
    expect(new Set(SHORTCUTS.map((s) => s.key)).size).toBe(SHORTCUTS.length);
  });
});
