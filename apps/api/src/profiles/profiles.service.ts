import { Injectable } from '@nestjs/common';
import type { CreateProfileRequest, Profile, Right, UpdateProfileRequest } from '@guichet/contracts';
import type { AuthenticatedContext, Principal } from '../access/principal';
import { AuditService } from '../audit/audit.service';
import { ConflictError, ForbiddenError, NotFoundError } from '../common/errors';
import { Database } from '../database/database';
import { ProfilesRepository } from './profiles.repository';

@Injectable()
export class ProfilesService {
  constructor(
    private readonly db: Database,
    private readonly profiles: ProfilesRepository,
    private readonly audit: AuditService,
  ) {}

  list(ctx: AuthenticatedContext): Promise<Profile[]> {
    const p = ctx.principal;
    if (!p.rights.has('profiles.manage') && !p.rights.has('accounts.manage')) throw new ForbiddenError();
    return this.profiles.list();
  }

  async create(ctx: AuthenticatedContext, req: CreateProfileRequest): Promise<Profile> {
    assertCanHand(ctx.principal, req.rights);
    return this.db.transaction(async (tx) => {
      if (await this.profiles.findByCode(req.code, tx)) throw new ConflictError('CONFLICT', `A profile with code ${req.code} already exists.`);
      const created = await this.profiles.insert(req, tx);
      await this.audit.record(
        ctx,
        { action: 'profile.created', objectType: 'profile', objectId: created.id, details: { code: req.code, rights: req.rights } },
        tx,
      );
      return created;
    });
  }

  async update(ctx: AuthenticatedContext, id: string, req: UpdateProfileRequest): Promise<Profile> {
    return this.db.transaction(async (tx) => {
      const before = await this.profiles.findById(id, tx);
      if (!before) throw new NotFoundError('profile', id);
      if (req.rights) {
        if (before.code === 'administrator') throw new ConflictError('CONFLICT', 'The rights of the administrator profile cannot change.');
        const added = req.rights.filter((r) => !before.rights.includes(r));
        assertCanHand(ctx.principal, added);
      }
      await this.profiles.update(id, req, tx);
      const after = (await this.profiles.findById(id, tx))!;
      await this.audit.record(
        ctx,
        {
          action: 'profile.updated',
          objectType: 'profile',
          objectId: id,
          details: {
            before: { rights: before.rights, nameFr: before.nameFr, nameEn: before.nameEn },
            after: { rights: after.rights, nameFr: after.nameFr, nameEn: after.nameEn },
          },
        },
        tx,
      );
      return after;
    });
  }

  async delete(ctx: AuthenticatedContext, id: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      const profile = await this.profiles.findById(id, tx);
      if (!profile) throw new NotFoundError('profile', id);
      if (profile.builtin) throw new ConflictError('CONFLICT', 'Built-in profiles cannot be deleted.');
      if (profile.accountCount > 0) throw new ConflictError('CONFLICT', 'This profile is still given to accounts.');
      await this.profiles.delete(id, tx);
      await this.audit.record(ctx, { action: 'profile.deleted', objectType: 'profile', objectId: id, details: { code: profile.code } }, tx);
    });
  }
}

/** Nobody hands out a right they do not hold themselves: no escalation through profiles. */
export function assertCanHand(p: Principal, rights: readonly Right[]): void {
  const beyond = rights.filter((r) => !p.rights.has(r));
  if (beyond.length) throw new ForbiddenError(`You cannot hand out rights you do not hold: ${beyond.join(', ')}.`);
}
