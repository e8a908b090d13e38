import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The email channel: mailboxes, SMTP settings, every message received and sent (R3). */
export class Mail1764100000000 implements MigrationInterface {
  name = 'Mail1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE mailboxes (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 100),
        host text NOT NULL CHECK (length(host) BETWEEN 1 AND 253),
        port integer NOT NULL CHECK (port BETWEEN 1 AND 65535),
        security text NOT NULL CHECK (security IN ('tls', 'starttls', 'none')),
        username text NOT NULL CHECK (length(username) BETWEEN 1 AND 254),
        -- AES-256-GCM, key outside the database (SECRETS_ENCRYPTION_KEY).
        password_enc bytea,
        inbox_folder text NOT NULL DEFAULT 'INBOX',
        processed_folder text NOT NULL DEFAULT 'Processed',
        error_folder text NOT NULL DEFAULT 'Errors',
        default_project_id uuid REFERENCES projects(id) ON DELETE SET NULL,
        active boolean NOT NULL DEFAULT true,
        last_polled_at timestamptz,
        last_error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE mailbox_routes (
        mailbox_id uuid NOT NULL REFERENCES mailboxes(id) ON DELETE CASCADE,
        address text NOT NULL CHECK (address = lower(address) AND address LIKE '%@%'),
        project_id uuid NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        PRIMARY KEY (mailbox_id, address)
      );

      CREATE TABLE smtp_settings (
        id smallint PRIMARY KEY DEFAULT 1 CHECK (id = 1),
        host text NOT NULL,
        port integer NOT NULL CHECK (port BETWEEN 1 AND 65535),
        security text NOT NULL CHECK (security IN ('tls', 'starttls', 'none')),
        username text NOT NULL DEFAULT '',
        password_enc bytea,
        from_address text NOT NULL,
        from_name text NOT NULL DEFAULT 'Guichet',
        updated_at timestamptz NOT NULL DEFAULT now()
      );

      -- Every message read from a mailbox, once: the Message-ID (or a content hash) is unique, and
      -- the row commits with the ticket or reply it produced (exactly once, R3.3).
      CREATE TABLE inbound_messages (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        mailbox_id uuid REFERENCES mailboxes(id) ON DELETE SET NULL,
        message_id text NOT NULL UNIQUE,
        from_address text,
        subject text,
        received_at timestamptz NOT NULL DEFAULT now(),
        size integer,
        outcome text NOT NULL CHECK (outcome IN ('ticket', 'comment', 'review', 'ignored')),
        reason text,
        ticket_id uuid REFERENCES tickets(id) ON DELETE SET NULL,
        comment_id uuid REFERENCES ticket_comments(id) ON DELETE SET NULL,
        raw_key text,
        review_status text CHECK (review_status IN ('pending', 'accepted', 'discarded')),
        reviewed_by uuid REFERENCES accounts(id) ON DELETE SET NULL,
        reviewed_at timestamptz
      );
      CREATE INDEX inbound_messages_review_idx ON inbound_messages (received_at DESC) WHERE review_status = 'pending';
      CREATE INDEX inbound_messages_from_idx ON inbound_messages (from_address, received_at DESC);

      -- Every notification sent: replies thread back through these Message-IDs.
      CREATE TABLE outbound_messages (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        message_id text NOT NULL UNIQUE,
        ticket_id uuid REFERENCES tickets(id) ON DELETE CASCADE,
        recipient_id uuid REFERENCES accounts(id) ON DELETE SET NULL,
        to_address text NOT NULL,
        kind text NOT NULL,
        subject text NOT NULL,
        status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'failed', 'bounced')),
        last_error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        sent_at timestamptz
      );
      CREATE INDEX outbound_messages_ticket_idx ON outbound_messages (ticket_id);

      CREATE TABLE mail_address_status (
        address text PRIMARY KEY CHECK (address = lower(address)),
        bounces integer NOT NULL DEFAULT 0,
        last_bounce_at timestamptz,
        last_bounce_reason text
      );
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE mail_address_status, outbound_messages, inbound_messages, smtp_settings, mailbox_routes, mailboxes`);
  }
}
