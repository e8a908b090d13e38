import type { WritableSignal } from '@angular/core';
import type { Observable } from 'rxjs';
import type { Notifier } from './notifier';

/** Runs one user action: busy while in flight, failure shown in the snack bar, `done` on success. */
export function runAction<T>(busy: WritableSignal<boolean>, notifier: Notifier, call: Observable<T>, done: (value: T) => void): void {
  busy.set(true);
  call.subscribe({
    next: (value) => {
      busy.set(false);
      done(value);
    },
    error: (error: unknown) => {
      busy.set(false);
      notifier.error(error);
    },
  });
}
