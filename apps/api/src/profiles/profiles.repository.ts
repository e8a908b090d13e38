import { Injectable } from '@nestjs/common';
import { isRight, type Profile, type Right } from '@guichet/contracts';
import { sql } from '../common/sql';
import { Database, Queryable } from '../database/database';

interface ProfileRow {
  id: string;
  code: string;
  name_fr: string;
  name_en: string;
  rights: string[];
  builtin: boolean;
  account_count: string;
}

const SELECT_PROFILE = sql`
  SELECT p.*, (SELECT count(*) FROM accounts a WHERE a.profile_id = p.id) AS account_count FROM profiles p`;

@Injectable()
export class ProfilesRepository {
  constructor(private readonly db: Database) {}

  async list(): Promise<Profile[]> {
    const rows = await this.db.query<ProfileRow>(sql`${SELECT_PROFILE} ORDER BY p.builtin DESC, p.code`);
    return rows.map(toProfile);
  }

  async findById(id: string, tx: Queryable = this.db): Promise<Profile | undefined> {
    const row = await tx.one<ProfileRow>(sql`${SELECT_PROFILE} WHERE p.id = ${id}`);
    return row && toProfile(row);
  }

  async findByCode(code: string, tx: Queryable = this.db): Promise<Profile | undefined> {
    const row = await tx.one<ProfileRow>(sql`${SELECT_PROFILE} WHERE p.code = ${code}`);
    return row && toProfile(row);
  }

  async insert(p: { code: string; nameFr: string; nameEn: string; rights: Right[] }, tx: Queryable): Promise<Profile> {
    const row = await tx.one<{ id: string }>(sql`
      INSERT INTO profiles (code, name_fr, name_en, rights) VALUES (${p.code}, ${p.nameFr}, ${p.nameEn}, ${p.rights}) RETURNING id`);
    return (await this.findById(row!.id, tx))!;
  }

  async update(id: string, p: { nameFr?: string; nameEn?: string; rights?: Right[] }, tx: Queryable): Promise<void> {
    await tx.query(sql`
      UPDATE profiles SET name_fr = COALESCE(${p.nameFr ?? null}, name_fr), name_en = COALESCE(${p.nameEn ?? null}, name_en),
             rights = COALESCE(${p.rights ?? null}::text[], rights), updated_at = now()
       WHERE id = ${id}`);
  }

  async delete(id: string, tx: Queryable): Promise<void> {
    await tx.query(sql`DELETE FROM profiles WHERE id = ${id}`);
  }
}

function toProfile(r: ProfileRow): Profile {
  return {
    id: r.id,
    code: r.code,
    nameFr: r.name_fr,
    nameEn: r.name_en,
    rights: r.rights.filter(isRight),
    builtin: r.builtin,
    accountCount: Number(r.account_count),
  };
}
