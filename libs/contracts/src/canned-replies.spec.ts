import { CANNED_REPLY_PLACEHOLDERS, fillPlaceholders } from './canned-replies';

describe('fillPlaceholders', () => {
  const values = { 'requester.name': 'Léa Moreau', 'ticket.key': 'HWEB-12', 'ticket.title': 'Portail {{agent}} en panne', 'agent.name': 'Hugo Petit' };

  it('fills each placeholder under its English and its French name, spaces and case aside', () => {
    expect(fillPlaceholders('{{requester.name}} / {{ demandeur }} / {{Ticket.Key}} / {{ticket.numero}} / {{agent.name}} / {{agent}}', values)).toBe(
      'Léa Moreau / Léa Moreau / HWEB-12 / HWEB-12 / Hugo Petit / Hugo Petit',
    );
  });

  it('leaves unknown placeholders as written, and never fills inside a filled value', () => {
    expect(fillPlaceholders('{{inconnu}} {{ticket.titre}}', values)).toBe('{{inconnu}} Portail {{agent}} en panne');
  });

  it('gives every placeholder two distinct names', () => {
    const names = CANNED_REPLY_PLACEHOLDERS.flatMap((p) => [p.key, p.fr]);
    expect(new Set(names).size).toBe(names.length);
  });
});
