import { DOCUMENT } from '@angular/common';
import { type DestroyRef, Injectable, inject } from '@angular/core';
import type { TranslationKey } from '../i18n/dictionary';

/** What a shortcut does; the page (or the app) that can do it registers a handler. */
export type ShortcutAction = 'next' | 'previous' | 'open' | 'reply' | 'note' | 'assignToMe' | 'search' | 'help';

export interface Shortcut {
  /** `KeyboardEvent.key`, as typed (so `?` works whatever the keyboard layout). */
  key: string;
  /** Shown in the help dialog instead of `key` when it reads better ("Entrée"). */
  label?: TranslationKey;
  action: ShortcutAction;
  description: TranslationKey;
  /** Where it applies, for the help dialog. */
  where: TranslationKey;
}

/**
 * Every keyboard shortcut, in the order of the help dialog. One table: a new act (bulk
 * selection, triage) adds a row here and registers its handler where it can be done.
 */
export const SHORTCUTS: readonly Shortcut[] = [
  { key: 'j', action: 'next', description: 'shortcuts.next', where: 'shortcuts.inList' },
  { key: 'k', action: 'previous', description: 'shortcuts.previous', where: 'shortcuts.inList' },
  { key: 'Enter', label: 'shortcuts.enterKey', action: 'open', description: 'shortcuts.open', where: 'shortcuts.inList' },
  { key: 'r', action: 'reply', description: 'shortcuts.reply', where: 'shortcuts.onTicket' },
  { key: 'i', action: 'note', description: 'shortcuts.note', where: 'shortcuts.onTicket' },
  { key: 'a', action: 'assignToMe', description: 'shortcuts.assignToMe', where: 'shortcuts.onTicket' },
  { key: '/', action: 'search', description: 'shortcuts.search', where: 'shortcuts.anywhere' },
  { key: '?', action: 'help', description: 'shortcuts.help', where: 'shortcuts.anywhere' },
];

type Handlers = Partial<Record<ShortcutAction, () => void>>;

/** A key typed there is text, or belongs to the control (a list box, a menu), never a shortcut. */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof Element)) return false;
  if (
    target.closest(
      'input, textarea, select, [contenteditable=""], [contenteditable="true"], [role="textbox"], [role="combobox"], [role="listbox"], [role="menu"]',
    )
  ) {
    return true;
  }
  return target instanceof HTMLElement && target.isContentEditable;
}

function isControl(target: EventTarget | null): boolean {
  return (
    target instanceof Element &&
    target.closest('a[href], button, summary, [role="button"], [role="link"], [role="tab"], [role="checkbox"], [role="radio"], [role="option"]') !== null
  );
}

/**
 * The one keyboard listener of the app. Pages register what they can do while they are shown
 * (`register(handlers, destroyRef)`); the latest registration of an action wins. Keys typed in a
 * text field, with Ctrl, Alt or Meta, or while a dialog is open never fire a shortcut.
 */
@Injectable({ providedIn: 'root' })
export class Shortcuts {
  private readonly document = inject(DOCUMENT);
  private readonly stack: Handlers[] = [];
  private started = false;

  /** Starts listening (once; the app component calls it). */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.document.addEventListener('keydown', (event) => this.onKeydown(event));
  }

  /** Registers handlers until `destroyRef` is destroyed; returns the function that removes them sooner. */
  register(handlers: Handlers, destroyRef?: DestroyRef): () => void {
    this.stack.push(handlers);
    const remove = () => {
      const at = this.stack.indexOf(handlers);
      if (at >= 0) this.stack.splice(at, 1);
    };
    destroyRef?.onDestroy(remove);
    return remove;
  }

  /** Runs the shortcut of this key event if one applies; true when it did. */
  onKeydown(event: KeyboardEvent): boolean {
    if (event.defaultPrevented || event.ctrlKey || event.altKey || event.metaKey || event.isComposing) return false;
    if (isTypingTarget(event.target)) return false;
    if (this.document.querySelector('.cdk-overlay-container [role="dialog"], .cdk-overlay-container [role="alertdialog"]')) return false;
    const shortcut = SHORTCUTS.find((s) => s.key === event.key);
    if (!shortcut) return false;
    // Enter on a link or a button keeps its own meaning (following it, pressing it).
    if (shortcut.key === 'Enter' && isControl(event.target)) return false;
    const handler = this.handler(shortcut.action);
    if (!handler) return false;
    event.preventDefault();
    handler();
    return true;
  }

  private handler(action: ShortcutAction): (() => void) | undefined {
    for (let i = this.stack.length - 1; i >= 0; i--) {
      const handler = this.stack[i]![action];
      if (handler) return handler;
    }
    return undefined;
  }
}
