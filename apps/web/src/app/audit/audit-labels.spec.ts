import { AUDIT_ACTIONS, type AuditEvent } from '@guichet/contracts';
import { en } from '../core/i18n/en';
import { fr } from '../core/i18n/fr';
import { actionLabelKey, detailLines, objectLink } from './audit-labels';

describe('audit labels', () => {
  it('gives every recorded action a French and an English label of its own', () => {
    for (const action of AUDIT_ACTIONS) {
      const key = actionLabelKey(action);
      expect([action, key]).toEqual([action, `auditAction.${action}`]);
      const [french, english] = [(fr as Record<string, unknown>)[key!], (en as Record<string, unknown>)[key!]];
      expect([action, typeof french, typeof english]).toEqual([action, 'string', 'string']);
      expect(french).not.toContain(action);
    }
    const frenchLabels = AUDIT_ACTIONS.map((action) => (fr as Record<string, unknown>)[`auditAction.${action}`]);
    expect(new Set(frenchLabels).size).toBe(AUDIT_ACTIONS.length);
  });

  it('shows an unknown action as it is', () => {
    expect(actionLabelKey('auth.something_new')).toBeNull();
  });

  it('writes details as key: value lines, nested keys dotted and lists joined', () => {
    expect(
      detailLines({
        key: 'HWEB',
        level: 'write',
        previous: null,
        before: { name: 'Ancien' },
        after: { name: 'Nouveau' },
        rights: ['audit.read', 'stats.read'],
        filters: {},
      }),
    ).toEqual([
      { key: 'key', value: 'HWEB' },
      { key: 'level', value: 'write' },
      { key: 'previous', value: '—' },
      { key: 'before.name', value: 'Ancien' },
      { key: 'after.name', value: 'Nouveau' },
      { key: 'rights', value: 'audit.read, stats.read' },
      { key: 'filters', value: '—' },
    ]);
    expect(detailLines({})).toEqual([]);
  });

  it('writes an id the server named as its name', () => {
    const names = { 'b9c7e3a0-0000-4000-8000-000000000001': 'Nina Roux' };
    expect(detailLines({ accountId: 'b9c7e3a0-0000-4000-8000-000000000001', level: 'read', other: 'b9c7e3a0-0000-4000-8000-000000000002' }, names)).toEqual([
      { key: 'accountId', value: 'Nina Roux' },
      { key: 'level', value: 'read' },
      { key: 'other', value: 'b9c7e3a0-0000-4000-8000-000000000002' },
    ]);
    expect(detailLines({ name: 'toString' }, {})).toEqual([{ key: 'name', value: 'toString' }]);
  });

  it('links a named object to its page, and nothing when its name is not given', () => {
    const event = (over: Partial<AuditEvent>): AuditEvent => ({
      id: '1',
      at: '',
      actorId: null,
      actorEmail: null,
      actorName: null,
      action: 'access.denied',
      outcome: 'denied',
      objectType: null,
      objectId: null,
      objectName: null,
      objectKey: null,
      detailNames: {},
      ip: null,
      userAgent: null,
      details: {},
      ...over,
    });
    expect(objectLink(event({ objectType: 'ticket', objectId: 'HWEB-2', objectName: 'Portail', objectKey: 'HWEB-2' }))).toEqual(['/tickets', 'HWEB-2']);
    expect(objectLink(event({ objectType: 'project', objectId: 'a-uuid', objectName: 'Sites', objectKey: 'HWEB' }))).toEqual(['/admin/projects', 'HWEB']);
    expect(objectLink(event({ objectType: 'account', objectId: 'a-uuid', objectName: 'Nina' }))).toEqual(['/admin/accounts', 'a-uuid']);
    expect(objectLink(event({ objectType: 'ticket', objectId: 'HWEB-2' }))).toBeNull();
    expect(objectLink(event({ objectType: 'route', objectId: 'GET /api/accounts', objectName: 'x' }))).toBeNull();
  });
});
