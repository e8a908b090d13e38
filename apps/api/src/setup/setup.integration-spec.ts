import type { SetupChecklist } from '@guichet/contracts';
import { auth, type Session, TestApp } from '../../test/test-app';

describe('getting started on a fresh install (issue 18 point 10)', () => {
  let t: TestApp;
  let admin: Session;
  const checklist = async (s: Session) => {
    const res = await t.http.get('/api/setup/checklist').set(auth(s));
    expect(res.status).toBe(200);
    return Object.fromEntries((res.body as SetupChecklist).steps.map((x) => [x.step, x.done]));
  };

  beforeAll(async () => {
    t = await TestApp.start();
    admin = await t.admin();
  });
  afterAll(() => t.stop());

  it('shows an administrator every step, none done, on a fresh install', async () => {
    expect(await checklist(admin)).toEqual({ smtp: false, space: false, project: false, accounts: false, mailbox: false });
  });

  it('ticks each step from the real state, as it is done', async () => {
    const agent = await t.user('agent@example.test', 'agent');
    expect(await checklist(admin)).toMatchObject({ accounts: true, space: false });
    const space = await t.space('Ministère');
    expect(await checklist(admin)).toMatchObject({ space: true, project: false });
    await t.project('HWEB', space.id);
    expect(await checklist(admin)).toMatchObject({ project: true, smtp: false });
    await t.http
      .put('/api/mail/smtp')
      .set(auth(admin))
      .send({ host: '127.0.0.1', port: 2525, security: 'none', fromAddress: 'support@example.test' })
      .expect(200);
    expect(await checklist(admin)).toEqual({ smtp: true, space: true, project: true, accounts: true, mailbox: false });
    // Only the steps one may do: an agent manages none of them.
    expect(await checklist(agent)).toEqual({});
  });

  it('is for signed-in people only', async () => {
    expect((await t.http.get('/api/setup/checklist')).status).toBe(401);
  });
});
