import type { MigrationInterface, QueryRunner } from 'typeorm';

interface Attr {
  key: string;
  labelFr: string;
  labelEn: string;
  kind: string;
  required: boolean;
  values?: string[];
  refTypes?: string[];
}

const a = (key: string, labelFr: string, labelEn: string, kind: string, required = false, extra: Partial<Attr> = {}): Attr => ({
  key,
  labelFr,
  labelEn,
  kind,
  required,
  ...extra,
});

/** The types shipped with the CMDB (docs/cmdb.md); administrators refine them afterwards. */
const DEFAULT_TYPES: { code: string; fr: string; en: string; attributes: Attr[] }[] = [
  {
    code: 'server',
    fr: 'Serveur',
    en: 'Server',
    attributes: [
      a('hostname', 'Nom d’hôte', 'Host name', 'text'),
      a('ip', 'Adresse IP', 'IP address', 'ip'),
      a('os', 'Système d’exploitation', 'Operating system', 'text'),
      a('cpus', 'Processeurs', 'CPUs', 'number'),
      a('memory_gb', 'Mémoire (Go)', 'Memory (GB)', 'number'),
      a('environment', 'Environnement', 'Environment', 'enum', false, { values: ['production', 'preproduction', 'test'] }),
    ],
  },
  {
    code: 'virtual_machine',
    fr: 'Machine virtuelle',
    en: 'Virtual machine',
    attributes: [
      a('hostname', 'Nom d’hôte', 'Host name', 'text'),
      a('ip', 'Adresse IP', 'IP address', 'ip'),
      a('os', 'Système d’exploitation', 'Operating system', 'text'),
      a('host', 'Hôte', 'Host', 'reference', false, { refTypes: ['server'] }),
      a('environment', 'Environnement', 'Environment', 'enum', false, { values: ['production', 'preproduction', 'test'] }),
    ],
  },
  {
    code: 'database',
    fr: 'Base de données',
    en: 'Database',
    attributes: [
      a('engine', 'Moteur', 'Engine', 'enum', false, { values: ['postgresql', 'mysql', 'mariadb', 'oracle', 'sqlserver', 'other'] }),
      a('version', 'Version', 'Version', 'text'),
      a('port', 'Port', 'Port', 'number'),
    ],
  },
  {
    code: 'web_site',
    fr: 'Site web',
    en: 'Web site',
    attributes: [a('url', 'Adresse', 'Address', 'url', true), a('cms', 'Outil de gestion de contenu', 'Content management system', 'text')],
  },
  {
    code: 'domain_name',
    fr: 'Nom de domaine',
    en: 'Domain name',
    attributes: [a('registrar', 'Bureau d’enregistrement', 'Registrar', 'text'), a('expires_on', 'Date d’expiration', 'Expiry date', 'date')],
  },
  {
    code: 'tls_certificate',
    fr: 'Certificat TLS',
    en: 'TLS certificate',
    attributes: [
      a('common_name', 'Nom commun', 'Common name', 'text', true),
      a('issuer', 'Émetteur', 'Issuer', 'text'),
      a('expires_on', 'Date d’expiration', 'Expiry date', 'date'),
    ],
  },
  {
    code: 'application',
    fr: 'Application',
    en: 'Application',
    attributes: [a('version', 'Version', 'Version', 'text'), a('url', 'Adresse', 'Address', 'url')],
  },
  {
    code: 'network_device',
    fr: 'Équipement réseau',
    en: 'Network device',
    attributes: [
      a('device', 'Nature', 'Kind of device', 'enum', false, { values: ['router', 'switch', 'firewall', 'load_balancer', 'other'] }),
      a('ip', 'Adresse IP', 'IP address', 'ip'),
      a('model', 'Modèle', 'Model', 'text'),
    ],
  },
  { code: 'service', fr: 'Service', en: 'Service', attributes: [a('description', 'Description', 'Description', 'text')] },
  {
    code: 'backup',
    fr: 'Sauvegarde',
    en: 'Backup',
    attributes: [
      a('frequency', 'Fréquence', 'Frequency', 'enum', false, { values: ['hourly', 'daily', 'weekly', 'monthly'] }),
      a('retention_days', 'Rétention (jours)', 'Retention (days)', 'number'),
      a('last_restore_test', 'Dernier test de restauration', 'Last restore test', 'date'),
    ],
  },
];

/**
 * Configuration management (issue 19, ADR 0035): types with their attribute schema, items of a
 * project (space copied from it), relations inside one space, history, links to tickets.
 */
export class Cmdb1764800000000 implements MigrationInterface {
  name = 'Cmdb1764800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE cmdb_types (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        code text NOT NULL UNIQUE CHECK (code ~ '^[a-z][a-z0-9_]{1,39}$'),
        name_fr text NOT NULL CHECK (length(name_fr) BETWEEN 1 AND 100),
        name_en text NOT NULL CHECK (length(name_en) BETWEEN 1 AND 100),
        description text NOT NULL DEFAULT '' CHECK (length(description) <= 4000),
        attributes jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(attributes) = 'array'),
        builtin boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE cmdb_items (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        project_id uuid NOT NULL REFERENCES projects(id) ON DELETE RESTRICT,
        -- Copied from the project: visibility by served space without a join; relations stay in it.
        space_id uuid NOT NULL REFERENCES spaces(id) ON DELETE RESTRICT,
        type_id uuid NOT NULL REFERENCES cmdb_types(id) ON DELETE RESTRICT,
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        status text NOT NULL DEFAULT 'production' CHECK (status IN ('planned', 'production', 'maintenance', 'retired')),
        owner_id uuid REFERENCES accounts(id) ON DELETE SET NULL,
        tags text[] NOT NULL DEFAULT '{}',
        attributes jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(attributes) = 'object'),
        shared boolean NOT NULL DEFAULT false,
        external_id text CHECK (length(external_id) BETWEEN 1 AND 200),
        created_by uuid REFERENCES accounts(id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (id, space_id)
      );
      -- One name per type in a project, whatever its case: imports match on it.
      CREATE UNIQUE INDEX cmdb_items_name_key ON cmdb_items (project_id, type_id, lower(name));
      CREATE UNIQUE INDEX cmdb_items_external_key ON cmdb_items (project_id, external_id) WHERE external_id IS NOT NULL;
      CREATE INDEX cmdb_items_space_name_idx ON cmdb_items (space_id, lower(name), id);
      CREATE INDEX cmdb_items_type_idx ON cmdb_items (type_id);
      CREATE INDEX cmdb_items_tags_idx ON cmdb_items USING gin (tags);
      CREATE INDEX cmdb_items_attributes_idx ON cmdb_items USING gin (attributes jsonb_path_ops);

      -- Directional, typed; both ends in the relation's space (composite keys), never itself, never twice.
      CREATE TABLE cmdb_relations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        space_id uuid NOT NULL REFERENCES spaces(id) ON DELETE RESTRICT,
        from_id uuid NOT NULL,
        to_id uuid NOT NULL,
        kind text NOT NULL CHECK (kind IN ('runs_on', 'depends_on', 'hosted_by', 'connected_to', 'backs_up', 'uses_certificate', 'part_of')),
        created_by uuid REFERENCES accounts(id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        FOREIGN KEY (from_id, space_id) REFERENCES cmdb_items(id, space_id) ON DELETE CASCADE,
        FOREIGN KEY (to_id, space_id) REFERENCES cmdb_items(id, space_id) ON DELETE CASCADE,
        CHECK (from_id <> to_id),
        UNIQUE (from_id, to_id, kind)
      );
      CREATE INDEX cmdb_relations_to_idx ON cmdb_relations (to_id, kind);

      CREATE TABLE cmdb_item_history (
        id bigserial PRIMARY KEY,
        item_id uuid NOT NULL REFERENCES cmdb_items(id) ON DELETE CASCADE,
        actor_id uuid REFERENCES accounts(id) ON DELETE SET NULL,
        at timestamptz NOT NULL DEFAULT now(),
        field text NOT NULL,
        before jsonb,
        after jsonb,
        note text
      );
      CREATE INDEX cmdb_item_history_item_idx ON cmdb_item_history (item_id, id DESC);

      CREATE TABLE cmdb_ticket_items (
        ticket_id uuid NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
        item_id uuid NOT NULL REFERENCES cmdb_items(id) ON DELETE CASCADE,
        linked_by uuid REFERENCES accounts(id) ON DELETE SET NULL,
        linked_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (ticket_id, item_id)
      );
      CREATE INDEX cmdb_ticket_items_item_idx ON cmdb_ticket_items (item_id);
    `);
    for (const t of DEFAULT_TYPES) {
      await q.query(`INSERT INTO cmdb_types (code, name_fr, name_en, attributes, builtin) VALUES ($1, $2, $3, $4::jsonb, true)`, [
        t.code,
        t.fr,
        t.en,
        JSON.stringify(t.attributes),
      ]);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE cmdb_ticket_items, cmdb_item_history, cmdb_relations, cmdb_items, cmdb_types`);
  }
}
