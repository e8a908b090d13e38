import type { FormGroup, FormGroupDirective } from '@angular/forms';

/**
 * Empties a form after its submit: the given values, or the initial ones of its non-nullable
 * controls, pristine and untouched. Its directive (among the page's `viewChildren`) must forget the
 * submit too: Material shows the mat-error of every invalid field of a submitted form, so each
 * emptied required field would turn red.
 */
export function resetSubmittedForm<T extends FormGroup>(form: T, directives: readonly FormGroupDirective[], value?: Parameters<T['reset']>[0]): void {
  const directive = directives.find((candidate) => candidate.form === form);
  if (directive) directive.resetForm(value);
  else form.reset(value);
}
