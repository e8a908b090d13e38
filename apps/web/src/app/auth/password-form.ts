import type { AbstractControl, ValidationErrors } from '@angular/forms';

/** On the confirmation field: it must repeat the `newPassword` sibling. */
export function sameAsNewPassword(control: AbstractControl): ValidationErrors | null {
  const expected = control.parent?.get('newPassword')?.value as string | undefined;
  return control.value && expected !== undefined && control.value !== expected ? { mismatch: true } : null;
}
