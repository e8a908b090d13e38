import { PROJECT_KEY_PATTERN, PROJECT_KEY_SOURCE, TICKET_KEY_PATTERN, TICKET_KEY_SOURCE } from '@guichet/contracts';
import { cleanSubject, ticketKeyInSubject } from './threading';

describe('project and ticket keys (libs/contracts)', () => {
  it('a project key is an upper-case letter then 1 to 9 upper-case letters or digits', () => {
    expect(['HW', 'HWEB', 'H2O', 'ABCDEFGHIJ'].filter((k) => PROJECT_KEY_PATTERN.test(k))).toHaveLength(4);
    expect(['H', 'hweb', '2HW', 'HW-EB', 'ABCDEFGHIJK', ' HWEB', 'HWEB '].filter((k) => PROJECT_KEY_PATTERN.test(k))).toEqual([]);
  });

  it('a ticket key is a project key, a dash and a number from 1 without leading zero', () => {
    expect(['HWEB-1', 'HWEB-12', 'H2O-9999999999'].filter((k) => TICKET_KEY_PATTERN.test(k))).toHaveLength(3);
    expect(['HWEB-0', 'HWEB-01', 'HWEB', 'HWEB-', 'hweb-1', 'HWEB-12345678901', 'HWEB-1 ', 'x HWEB-1'].filter((k) => TICKET_KEY_PATTERN.test(k))).toEqual([]);
  });

  it('builds larger patterns from the same sources (a key between brackets in a subject)', () => {
    const inSubject = new RegExp(`\\[(${TICKET_KEY_SOURCE})\\]`);
    expect(inSubject.exec('RE: [HWEB-12] Site en panne')?.[1]).toBe('HWEB-12');
    expect(new RegExp(`^${PROJECT_KEY_SOURCE}$`).source).toBe(PROJECT_KEY_PATTERN.source);
  });
});

describe('ticket keys in mail subjects', () => {
  it('finds the key between brackets, in any case, and only a well-formed one', () => {
    expect(ticketKeyInSubject('RE: TR: [HWEB-123] Site en panne')).toBe('HWEB-123');
    expect(ticketKeyInSubject('Re: [hweb-7] suite')).toBe('HWEB-7');
    expect([ticketKeyInSubject('[HWEB-0] x'), ticketKeyInSubject('HWEB-12 sans crochets'), ticketKeyInSubject('[H-1] x'), ticketKeyInSubject(null)]).toEqual([
      null,
      null,
      null,
      null,
    ]);
  });

  it("takes the prefixes and the key, in any case, out of a new ticket's title", () => {
    expect(cleanSubject('RE: TR: Fwd: [HWEB-1] Sujet')).toBe('Sujet');
    expect(cleanSubject('Re: [hweb-12]   Le   sujet')).toBe('Le sujet');
    expect(cleanSubject('[HWEB-01] Garde un faux numéro')).toBe('[HWEB-01] Garde un faux numéro');
  });
});
