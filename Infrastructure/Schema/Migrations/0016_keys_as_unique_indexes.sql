-- The event store's keys are unique indexes instead of primary key constraints: a tenant's tables add no row to
-- pg_constraint.
--
-- Why (docs/scaling.md, Benchmarks/README.md): every ATTACH PARTITION (an onboarding makes three) reads pg_constraint
-- whole, sequentially, for foreign keys to clone (PostgreSQL's CloneFkReferenced; no index serves that search), and a
-- partitioned table's primary key is repeated on each of its partitions: 7 rows per tenant. At 10 000 tenants that read
-- was 71 000 rows, 2 262 pages, about 8 ms per attach; a pooled onboarding took 33 ms on a quiet machine, and 12 ms on
-- the same database once the keys were indexes and pg_constraint vacuumed. A unique index enforces the same key on the
-- same columns (which stay NOT NULL), ON CONFLICT finds it as it found the key, and it is no constraint.
--
-- emt_streams already had the seed's idx_streams_unique on its key's columns (INCLUDE stream_position): only its
-- primary key is dropped. emt_messages and emt_subscriptions get a unique index on their key's columns first.
--
-- Upgrading: one transaction. It locks every tenant's tables and indexes (about 30 locks per tenant), builds two
-- indexes per tenant (its messages' and its subscriptions' keys, reading their rows once) and writes wait for it: 65 s
-- at 10 000 small tenants on this machine. PostgreSQL's shared lock table must hold those locks; the migration checks
-- first and, when it would not, stops with the setting to raise, having changed nothing. pg_constraint keeps the
-- dropped rows' space until it is vacuumed (autovacuum does it soon after); until then attaches still read it.

DO $$
DECLARE
    v_tenants BIGINT := (SELECT count(*) FROM pg_inherits
                          WHERE inhparent IN (SELECT inhrelid FROM pg_inherits WHERE inhparent = 'emt_messages'::regclass));
    v_needed  BIGINT := 30 * v_tenants + 1000;
    v_holders BIGINT := current_setting('max_connections')::bigint + current_setting('max_prepared_transactions')::bigint
                        + current_setting('autovacuum_max_workers')::bigint + current_setting('max_worker_processes')::bigint
                        + current_setting('max_wal_senders')::bigint + 1;
    v_slots   BIGINT := current_setting('max_locks_per_transaction')::bigint * v_holders;
BEGIN
    IF v_needed > v_slots THEN
        RAISE EXCEPTION 'migration 0016 converts the keys of % tenants in one transaction, which takes about % locks; this server''s lock table holds about %',
                        v_tenants, v_needed, v_slots
              USING HINT = format('Set max_locks_per_transaction to at least %s (a restart), start again to migrate, then set it back.',
                                  ceil(v_needed::numeric / v_holders));
    END IF;
END;
$$;

CREATE UNIQUE INDEX IF NOT EXISTS idx_messages_unique ON emt_messages (stream_id, stream_position, partition, is_archived);
CREATE UNIQUE INDEX IF NOT EXISTS idx_subscriptions_unique ON emt_subscriptions (subscription_id, partition, version);

DO $$
DECLARE
    v_key RECORD;
BEGIN
    FOR v_key IN
        SELECT conrelid::regclass AS tab, conname
          FROM pg_constraint
         WHERE contype = 'p' AND conrelid IN ('emt_streams'::regclass, 'emt_messages'::regclass, 'emt_subscriptions'::regclass)
    LOOP
        EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', v_key.tab, v_key.conname);
    END LOOP;
END;
$$;
