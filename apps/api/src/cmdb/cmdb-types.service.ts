import { Injectable } from '@nestjs/common';
import type { CmdbType, CreateCmdbTypeRequest, UpdateCmdbTypeRequest } from '@guichet/contracts';
import type { AuthenticatedContext } from '../access/principal';
import { AuditService } from '../audit/audit.service';
import { ConflictError, NotFoundError, ValidationError } from '../common/errors';
import { Database } from '../database/database';
import { parseSchema } from './cmdb-schema';
import { itemCondition, type TypeRecord } from './cmdb.repository';
import { CmdbTypesRepository } from './cmdb-types.repository';

const sameValue = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** Configuration item types and their attribute schemas (issue 19, ADR 0035): `cmdb.manage` changes them. */
@Injectable()
export class CmdbTypesService {
  constructor(
    private readonly db: Database,
    private readonly repo: CmdbTypesRepository,
    private readonly audit: AuditService,
  ) {}

  // ---- types

  async listTypes(ctx: AuthenticatedContext): Promise<CmdbType[]> {
    const rows = await this.repo.listTypes(itemCondition(ctx.principal, 'i'));
    return rows.map((t) => this.presentType(t, t.itemCount, t.missingCount));
  }

  async getType(ctx: AuthenticatedContext, id: string): Promise<CmdbType> {
    const t = (await this.listTypes(ctx)).find((x) => x.id === id);
    if (!t) throw new NotFoundError('cmdb_type', id);
    return t;
  }

  async createType(ctx: AuthenticatedContext, req: CreateCmdbTypeRequest): Promise<CmdbType> {
    const attributes = await this.validSchema(req.attributes ?? []);
    const id = await this.db.transaction(async (tx) => {
      const created = await this.repo.insertType(
        { code: req.code, nameFr: req.nameFr.trim(), nameEn: req.nameEn.trim(), description: req.description ?? '', attributes },
        tx,
      );
      if (!created) throw new ConflictError('CONFLICT', `A type with the code ${req.code} exists already.`);
      await this.audit.record(ctx, { action: 'cmdb.type_created', objectType: 'cmdb_type', objectId: created, details: { code: req.code } }, tx);
      return created;
    });
    return this.getType(ctx, id);
  }

  /**
   * A schema change keeps items whole: values of removed attributes go to each item's history
   * and off the item; a newly required attribute is reported on the items lacking it.
   */
  async updateType(ctx: AuthenticatedContext, id: string, req: UpdateCmdbTypeRequest): Promise<CmdbType> {
    const attributes = req.attributes === undefined ? undefined : await this.validSchema(req.attributes);
    await this.db.transaction(async (tx) => {
      const current = await this.repo.findType(id, tx, true);
      if (!current) throw new NotFoundError('cmdb_type', id);
      const next = attributes ?? current.attributes;
      const removed = current.attributes.map((a) => a.key).filter((k) => !next.some((a) => a.key === k));
      const cleared = await this.repo.dropAttributes(id, removed, ctx.principal.accountId, tx);
      await this.repo.updateType(
        id,
        {
          nameFr: req.nameFr?.trim() ?? current.nameFr,
          nameEn: req.nameEn?.trim() ?? current.nameEn,
          description: req.description ?? current.description,
          attributes: next,
        },
        tx,
      );
      const added = next.filter((a) => !current.attributes.some((c) => c.key === a.key)).map((a) => a.key);
      const changed = next.filter((a) => current.attributes.some((c) => c.key === a.key && !sameValue(c, a))).map((a) => a.key);
      await this.audit.record(
        ctx,
        {
          action: 'cmdb.type_updated',
          objectType: 'cmdb_type',
          objectId: id,
          details: { code: current.code, added, removed, changed, itemsCleared: cleared },
        },
        tx,
      );
    });
    return this.getType(ctx, id);
  }

  async deleteType(ctx: AuthenticatedContext, id: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      const current = await this.repo.findType(id, tx, true);
      if (!current) throw new NotFoundError('cmdb_type', id);
      if (current.builtin) throw new ConflictError('CONFLICT', 'A shipped type cannot be deleted; rename it or leave it unused.');
      const namedBy = (await this.repo.typeReferencedBy(current.code, tx)).filter((c) => c !== current.code);
      if (namedBy.length) throw new ConflictError('CONFLICT', `Attributes of other types refer to this type: ${namedBy.join(', ')}.`);
      if (!(await this.repo.deleteUnusedType(id, tx))) throw new ConflictError('CONFLICT', 'Items of this type exist; the type cannot be deleted.');
      await this.audit.record(ctx, { action: 'cmdb.type_deleted', objectType: 'cmdb_type', objectId: id, details: { code: current.code } }, tx);
    });
  }

  private async validSchema(input: unknown) {
    const parsed = parseSchema(input);
    if (!parsed.ok) throw new ValidationError('The attribute schema is not valid.', parsed.errors);
    const codes = [...new Set(parsed.attributes.flatMap((a) => a.refTypes ?? []))];
    if (codes.length) {
      const known = await this.repo.existingTypeCodes(codes);
      const unknown = codes.filter((c) => !known.has(c));
      if (unknown.length)
        throw new ValidationError(
          'The attribute schema is not valid.',
          unknown.map((c) => `refTypes: no type has the code ${c}`),
        );
    }
    return parsed.attributes;
  }

  private presentType(t: TypeRecord, itemCount: number, missingCount: number): CmdbType {
    return {
      id: t.id,
      code: t.code,
      nameFr: t.nameFr,
      nameEn: t.nameEn,
      description: t.description,
      attributes: t.attributes,
      builtin: t.builtin,
      itemCount,
      missingCount,
      updatedAt: t.updatedAt.toISOString(),
    };
  }
}
