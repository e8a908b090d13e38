import type { NewEvent } from './ticket-journal.repository';

/**
 * Whether a history event is the support team acting on a ticket, so that the ticket is taken in
 * charge by it: an assignment (to a person or a group), a status move or a public reply. The
 * journal checks the other half of the rule in SQL: the actor is not the ticket's requester (his
 * own moves, such as confirming or reopening, are not the team's).
 */
export function takesCharge(e: Pick<NewEvent, 'type' | 'field' | 'after' | 'internal'>): boolean {
  switch (e.type) {
    case 'status_changed':
      return true;
    case 'comment_added':
      return !e.internal;
    case 'field_changed':
      return (e.field === 'assignee' || e.field === 'group') && e.after !== null && e.after !== undefined;
    default:
      return false;
  }
}
