import { Injectable } from '@nestjs/common';
import { SETUP_STEPS, type Right, type SetupChecklist, type SetupStep } from '@guichet/contracts';
import type { Principal } from '../access/principal';
import { SetupRepository } from './setup.repository';

/** The right that opens the screen of each step: a step is listed only to those who can do it. */
const STEP_RIGHT: Record<SetupStep, Right> = {
  smtp: 'mail.manage',
  space: 'spaces.manage',
  project: 'spaces.manage',
  accounts: 'accounts.manage',
  mailbox: 'mail.manage',
};

/** The getting-started checklist of a fresh install, ticked from the real state. */
@Injectable()
export class SetupService {
  constructor(private readonly repo: SetupRepository) {}

  async checklist(p: Principal): Promise<SetupChecklist> {
    const steps = SETUP_STEPS.filter((s) => p.rights.has(STEP_RIGHT[s]));
    if (!steps.length) return { steps: [] };
    const done = await this.repo.done();
    return { steps: steps.map((step) => ({ step, done: done[step] })) };
  }
}
