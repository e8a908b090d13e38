import { cursorCodec, isTimestampText, isUuidText } from '../common/cursor';

/** Where a ticket list page ends: the sort column's value (a time or a number) and the ticket's id. */
export interface TicketKeyset {
  value: string | number;
  id: string;
}

/** The ticket list's keyset cursor. */
export const TICKET_LIST_CURSOR = cursorCodec<TicketKeyset>(
  'k',
  (k) => [k.value, k.id],
  ([value, id]) => ((typeof value === 'number' || isTimestampText(value)) && isUuidText(id) ? { value, id } : undefined),
);

/** The ranked search's cursor: how many results came before (bounded by the ranked candidates). */
export const TICKET_SEARCH_CURSOR = cursorCodec<number>(
  'o',
  (offset) => [offset],
  ([offset]) => (typeof offset === 'number' && Number.isInteger(offset) && offset >= 0 ? offset : undefined),
);
