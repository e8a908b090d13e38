import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Accounts, profiles, spaces, projects, access, sessions, throttling and the audit trail. */
export class Foundation1763800000000 implements MigrationInterface {
  name = 'Foundation1763800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE profiles (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        code text NOT NULL UNIQUE CHECK (code ~ '^[a-z][a-z0-9-]{1,39}$'),
        name_fr text NOT NULL CHECK (length(name_fr) BETWEEN 1 AND 100),
        name_en text NOT NULL CHECK (length(name_en) BETWEEN 1 AND 100),
        rights text[] NOT NULL DEFAULT '{}',
        builtin boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE accounts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email text NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
        display_name text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 200),
        locale text NOT NULL DEFAULT 'fr' CHECK (locale IN ('fr', 'en')),
        profile_id uuid NOT NULL REFERENCES profiles(id),
        active boolean NOT NULL DEFAULT true,
        password_hash text,
        must_change_password boolean NOT NULL DEFAULT false,
        password_changed_at timestamptz,
        last_login_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      -- One person = one address = one account, whatever the case of the address (R2.1).
      CREATE UNIQUE INDEX accounts_email_key ON accounts (lower(email));
      CREATE INDEX accounts_profile_idx ON accounts (profile_id);

      CREATE TABLE spaces (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        description text NOT NULL DEFAULT '' CHECK (length(description) <= 4000),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE UNIQUE INDEX spaces_name_key ON spaces (lower(name));

      CREATE TABLE projects (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        key text NOT NULL UNIQUE CHECK (key ~ '^[A-Z][A-Z0-9]{1,9}$'),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        description text NOT NULL DEFAULT '' CHECK (length(description) <= 4000),
        space_id uuid NOT NULL REFERENCES spaces(id) ON DELETE RESTRICT,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX projects_space_idx ON projects (space_id);

      -- The spaces a user reaches (R2.2): agents and managers serve them, beneficiaries belong to them.
      CREATE TABLE space_members (
        space_id uuid NOT NULL REFERENCES spaces(id) ON DELETE CASCADE,
        account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        added_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (space_id, account_id)
      );
      CREATE INDEX space_members_account_idx ON space_members (account_id);

      -- Per-project access (R2.3). No row = none: deny by default.
      CREATE TABLE project_access (
        project_id uuid NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        level text NOT NULL CHECK (level IN ('submit', 'read', 'write')),
        granted_by uuid REFERENCES accounts(id) ON DELETE SET NULL,
        granted_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (project_id, account_id)
      );
      CREATE INDEX project_access_account_idx ON project_access (account_id);

      CREATE TABLE refresh_tokens (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        family_id uuid NOT NULL,
        -- When the login that opened the session happened: bounds the session's total life.
        family_started_at timestamptz NOT NULL DEFAULT now(),
        account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        secret_hash bytea NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        used_at timestamptz,
        revoked_at timestamptz,
        ip text,
        user_agent text
      );
      CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (family_id);
      CREATE INDEX refresh_tokens_account_idx ON refresh_tokens (account_id) WHERE revoked_at IS NULL;

      CREATE TABLE api_tokens (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
        prefix text NOT NULL,
        secret_hash bytea NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz,
        last_used_at timestamptz,
        revoked_at timestamptz
      );
      CREATE INDEX api_tokens_account_idx ON api_tokens (account_id);

      CREATE TABLE password_reset_tokens (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        purpose text NOT NULL CHECK (purpose IN ('activation', 'reset')),
        secret_hash bytea NOT NULL,
        created_by uuid REFERENCES accounts(id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        used_at timestamptz
      );
      CREATE INDEX password_reset_tokens_account_idx ON password_reset_tokens (account_id);

      -- Failed logins per email tried and per client address, shared by every API replica.
      CREATE TABLE login_throttle (
        key text PRIMARY KEY,
        failures integer NOT NULL DEFAULT 0,
        first_failure_at timestamptz NOT NULL DEFAULT now(),
        last_failure_at timestamptz NOT NULL DEFAULT now(),
        locked_until timestamptz
      );

      CREATE TABLE audit_events (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        at timestamptz NOT NULL DEFAULT clock_timestamp(),
        actor_id uuid,
        actor_email text,
        action text NOT NULL,
        outcome text NOT NULL CHECK (outcome IN ('success', 'failure', 'denied')),
        object_type text,
        object_id text,
        ip text,
        user_agent text,
        request_id text,
        details jsonb NOT NULL DEFAULT '{}'::jsonb
      );
      CREATE INDEX audit_events_at_idx ON audit_events (at DESC, id DESC);
      CREATE INDEX audit_events_action_idx ON audit_events (action, at DESC);
      CREATE INDEX audit_events_actor_idx ON audit_events (actor_id, at DESC);
      CREATE INDEX audit_events_object_idx ON audit_events (object_type, object_id);

      -- The audit trail is append-only for every role, the application's included (R8.4).
      CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        RAISE EXCEPTION 'audit_events is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
      END
      $fn$;
      CREATE TRIGGER audit_events_no_change BEFORE UPDATE OR DELETE ON audit_events
        FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
      CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
        FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();
    `);

    // Built-in profiles as they stood when this migration was written; later changes get their own migration.
    const all = [
      'platform.allSpaces',
      'ticket.seeOthers',
      'ticket.actOnOthers',
      'ticket.internalNotes',
      'ticket.timeSpent',
      'stats.read',
      'stats.export',
      'cmdb.read',
      'cmdb.manage',
      'deposits.manage',
      'spaces.manage',
      'accounts.manage',
      'access.manage',
      'profiles.manage',
      'mail.manage',
      'audit.read',
      'reversibility.export',
    ];
    const profiles: [string, string, string, string[]][] = [
      ['administrator', 'Administrateur', 'Administrator', all],
      [
        'agent',
        'Agent de support',
        'Support agent',
        ['ticket.seeOthers', 'ticket.actOnOthers', 'ticket.internalNotes', 'ticket.timeSpent', 'stats.read', 'cmdb.read', 'cmdb.manage', 'deposits.manage'],
      ],
      ['manager', 'Responsable', 'Manager', ['ticket.seeOthers', 'ticket.timeSpent', 'stats.read', 'stats.export', 'cmdb.read']],
      ['beneficiary', 'Bénéficiaire', 'Beneficiary', []],
    ];
    for (const [code, fr, en, rights] of profiles) {
      await q.query(`INSERT INTO profiles (code, name_fr, name_en, rights, builtin) VALUES ($1, $2, $3, $4, true)`, [code, fr, en, rights]);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE audit_events; DROP FUNCTION audit_events_append_only();
      DROP TABLE login_throttle, password_reset_tokens, api_tokens, refresh_tokens,
        project_access, space_members, projects, spaces, accounts, profiles;
    `);
  }
}
