-- Tables staged ahead of their tenants: a small pool of unattached sets of a tenant's tables (its partition of
-- emt_streams, emt_messages, each with its active and archived leaf, and of emt_subscriptions), kept filled in the
-- background (PartitionPoolFiller, in the API host), so that an onboarding renames a set to the tenant's names and
-- attaches it instead of creating 33 relations while other tenants write.
--
-- Why (Benchmarks/README.md, docs/scaling.md): measured at 1 000 tenants under 16 writers, creating a tenant's tables
-- took about half of an onboarding, and a quarter of it was spent waiting for the disk: each index built is synced to
-- it at once (DataFileImmediateSync), 18 of them per tenant. A rename is a catalog row; nothing is written or synced.
--
-- A pooled set is no tenant's: its tables are named cartgraph_pool_<id>_<table>, are attached to no parent and carry no
-- bound, so no look-up by a tenant's names, no tenant listing (which reads the buckets' partitions) and no statement
-- of a tenant ever finds them. It is taken in the onboarding's transaction (its row deleted, FOR UPDATE SKIP LOCKED, so
-- concurrent onboardings take different sets), renamed and attached: if the transaction fails, it is back in the pool,
-- whole. No CHECK of the bound is added first: ATTACH under a hash bucket verifies the table anyway (0012), and an
-- empty table is verified at once; nothing is left staged between transactions, so none is needed to recognise it.
--
-- A migration that changes the event store tables makes the pooled sets stale (they were created LIKE the old ones):
-- SchemaMigrator empties the pool after it applies any migration, and the pool is filled again with the new shape.

CREATE TABLE cartgraph_partition_pool (
    id        BIGINT      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    staged_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- The name of pooled set p_id's table of p_table.
CREATE OR REPLACE FUNCTION cartgraph_pooled_table(p_id BIGINT, p_table TEXT) RETURNS TEXT
LANGUAGE sql IMMUTABLE STRICT
AS $$ SELECT 'cartgraph_pool_' || p_id || '_' || p_table $$;

-- Creates p_name, unattached, of p_table's shape (for emt_streams and emt_messages partitioned by is_archived into an
-- active and an archived leaf), with p_partition's bound as a CHECK unless p_partition is null (a pooled table).
CREATE OR REPLACE FUNCTION cartgraph_create_unattached(p_table TEXT, p_name TEXT, p_partition TEXT) RETURNS void
LANGUAGE plpgsql
AS $$
DECLARE
    v_check TEXT := CASE WHEN p_partition IS NULL THEN ''
                         ELSE format(', CHECK (partition IS NOT NULL AND partition = %L)', p_partition) END;
BEGIN
    IF p_table IN ('emt_streams', 'emt_messages') THEN
        EXECUTE format('CREATE TABLE %I (LIKE %I INCLUDING ALL%s) PARTITION BY LIST (is_archived)', p_name, p_table, v_check);
        EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES IN (FALSE)', p_name || '_active', p_name);
        EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES IN (TRUE)', p_name || '_archived', p_name);
    ELSE
        EXECUTE format('CREATE TABLE %I (LIKE %I INCLUDING ALL%s)', p_name, p_table, v_check);
    END IF;
END;
$$;

-- 0005's, its creation moved to cartgraph_create_unattached.
CREATE OR REPLACE FUNCTION cartgraph_stage_partition(p_table TEXT, p_partition TEXT) RETURNS TEXT
LANGUAGE plpgsql
AS $$
DECLARE
    v_leftover TEXT;
    v_name     TEXT;
BEGIN
    FOR v_leftover IN SELECT cartgraph_unattached_partitions(p_table, p_partition) LOOP
        EXECUTE format('DROP TABLE %I', v_leftover);
    END LOOP;
    v_name := cartgraph_partition_name(p_table, p_partition);
    PERFORM cartgraph_create_unattached(p_table, v_name, p_partition);
    RETURN v_name;
END;
$$;

-- Adds one set to the pool unless it holds p_size already, or another session is filling it; whether it added one.
-- One set per call, committed on its own: each is there to take as soon as it is made.
CREATE OR REPLACE FUNCTION cartgraph_fill_partition_pool(p_size INT) RETURNS BOOLEAN
LANGUAGE plpgsql
AS $$
DECLARE
    v_id    BIGINT;
    v_table TEXT;
BEGIN
    IF NOT pg_try_advisory_xact_lock(hashtext('cartgraph:partition-pool'))
       OR (SELECT count(*) FROM cartgraph_partition_pool) >= p_size THEN
        RETURN FALSE;
    END IF;
    INSERT INTO cartgraph_partition_pool DEFAULT VALUES RETURNING id INTO v_id;
    FOREACH v_table IN ARRAY ARRAY['emt_streams', 'emt_messages', 'emt_subscriptions'] LOOP
        PERFORM cartgraph_create_unattached(v_table, cartgraph_pooled_table(v_id, v_table), NULL);
    END LOOP;
    RETURN TRUE;
END;
$$;

-- Drops every pooled set that no onboarding is taking; how many.
CREATE OR REPLACE FUNCTION cartgraph_empty_partition_pool() RETURNS INT
LANGUAGE plpgsql
AS $$
DECLARE
    v_id      BIGINT;
    v_table   TEXT;
    v_dropped INT := 0;
BEGIN
    FOR v_id IN DELETE FROM cartgraph_partition_pool
                 WHERE id IN (SELECT id FROM cartgraph_partition_pool FOR UPDATE SKIP LOCKED) RETURNING id LOOP
        FOREACH v_table IN ARRAY ARRAY['emt_streams', 'emt_messages', 'emt_subscriptions'] LOOP
            EXECUTE format('DROP TABLE IF EXISTS %I', cartgraph_pooled_table(v_id, v_table));
        END LOOP;
        v_dropped := v_dropped + 1;
    END LOOP;
    RETURN v_dropped;
END;
$$;

-- The name PostgreSQL gives an index of p_table on p_columns (makeObjectName and ChooseRelationName): the longer of
-- the table's name and the columns' is cut until the name fits 63 bytes, and a number is added while the name is taken.
CREATE OR REPLACE FUNCTION cartgraph_index_name(p_table TEXT, p_columns TEXT, p_label TEXT) RETURNS TEXT
LANGUAGE plpgsql STABLE
AS $$
DECLARE
    v_pass  INT := 0;
    v_label TEXT := p_label;
    v_table INT;
    v_cols  INT;
    v_name  TEXT;
BEGIN
    LOOP
        v_table := length(p_table);
        v_cols := coalesce(length(p_columns), 0);
        WHILE v_table + v_cols > 63 - length(v_label) - 1 - CASE WHEN p_columns IS NULL THEN 0 ELSE 1 END LOOP
            IF v_table > v_cols THEN v_table := v_table - 1; ELSE v_cols := v_cols - 1; END IF;
        END LOOP;
        v_name := left(p_table, v_table) || coalesce('_' || left(p_columns, v_cols), '') || '_' || v_label;
        EXIT WHEN to_regclass(quote_ident(v_name)) IS NULL;
        v_pass := v_pass + 1;
        v_label := p_label || v_pass;
    END LOOP;
    RETURN v_name;
END;
$$;

-- Renames pooled table p_from to p_to, its leaves to p_to_active and p_to_archived, and the indexes of each to the
-- names PostgreSQL would have given them had the tables been created under their new names (as staging does).
-- Every catalog row is reached by its key: under a generic plan (CartGraph's connections force them) a join over
-- pg_class would read all of it.
CREATE OR REPLACE FUNCTION cartgraph_rename_pooled(p_from TEXT, p_to TEXT) RETURNS void
LANGUAGE plpgsql
AS $$
DECLARE
    v_table  REGCLASS := quote_ident(p_from)::regclass;
    v_tables REGCLASS[];
    v_leaf   REGCLASS;
    v_index  RECORD;
    v_name   TEXT;
BEGIN
    v_tables := ARRAY[v_table] || ARRAY(SELECT inhrelid::regclass FROM pg_inherits WHERE inhparent = v_table ORDER BY inhrelid);
    EXECUTE format('ALTER TABLE %I RENAME TO %I', p_from, p_to);
    FOREACH v_leaf IN ARRAY v_tables[2:] LOOP
        SELECT relname INTO v_name FROM pg_class WHERE oid = v_leaf;
        EXECUTE format('ALTER TABLE %s RENAME TO %I', v_leaf, p_to || substr(v_name, length(p_from) + 1));
    END LOOP;
    FOREACH v_leaf IN ARRAY v_tables LOOP
        SELECT relname INTO v_name FROM pg_class WHERE oid = v_leaf;
        FOR v_index IN
            SELECT x.indexrelid::regclass AS index, x.indisprimary AS is_primary,
                   (SELECT string_agg(a.attname, '_' ORDER BY k.n) FROM unnest(x.indkey) WITH ORDINALITY k(attnum, n)
                      JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.attnum) AS columns
              FROM pg_index x WHERE x.indrelid = v_leaf ORDER BY x.indexrelid
        LOOP
            EXECUTE format('ALTER INDEX %s RENAME TO %I', v_index.index,
                           CASE WHEN v_index.is_primary THEN cartgraph_index_name(v_name, NULL, 'pkey')
                                ELSE cartgraph_index_name(v_name, v_index.columns, 'idx') END);
        END LOOP;
    END LOOP;
END;
$$;

-- Takes a pooled set for p_partition, whose tables none exist: renamed to its names and attached, in the caller's
-- transaction, under the caller's hold of the tenant (its advisory lock). False, and nothing done, when the pool is
-- empty. Wakes the pool's fillers up (at commit).
CREATE OR REPLACE FUNCTION cartgraph_take_pooled_partitions(p_partition TEXT) RETURNS BOOLEAN
LANGUAGE plpgsql
AS $$
DECLARE
    v_id       BIGINT;
    v_table    TEXT;
    v_name     TEXT;
    v_leftover TEXT;
BEGIN
    DELETE FROM cartgraph_partition_pool
     WHERE id = (SELECT id FROM cartgraph_partition_pool ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED)
    RETURNING id INTO v_id;
    IF v_id IS NULL THEN
        RETURN FALSE;
    END IF;
    FOREACH v_table IN ARRAY ARRAY['emt_streams', 'emt_messages', 'emt_subscriptions'] LOOP
        FOR v_leftover IN SELECT cartgraph_unattached_partitions(v_table, p_partition) LOOP
            EXECUTE format('DROP TABLE %I', v_leftover);
        END LOOP;
        v_name := cartgraph_partition_name(v_table, p_partition);
        PERFORM cartgraph_rename_pooled(cartgraph_pooled_table(v_id, v_table), v_name);
        PERFORM cartgraph_attach_partition(v_table, p_partition, v_name);
    END LOOP;
    PERFORM pg_notify('cartgraph_partition_pool', p_partition);
    RETURN TRUE;
END;
$$;

-- 0005's, taking a pooled set when the tenant has none of its tables and the pool has one, creating them otherwise;
-- each table looked up twice, as before: once to return at once for a tenant that exists, once under the tenant's lock.
CREATE OR REPLACE FUNCTION emt_add_partition(partition_name TEXT) RETURNS void
LANGUAGE plpgsql
AS $$
DECLARE
    v_streams       TEXT := cartgraph_partition_of('emt_streams', partition_name);
    v_messages      TEXT := cartgraph_partition_of('emt_messages', partition_name);
    v_subscriptions TEXT := cartgraph_partition_of('emt_subscriptions', partition_name);
BEGIN
    IF v_streams IS NOT NULL AND v_messages IS NOT NULL AND v_subscriptions IS NOT NULL THEN
        RETURN;
    END IF;
    PERFORM pg_advisory_xact_lock(hashtext('cartgraph:partition:' || partition_name));
    v_streams := cartgraph_partition_of('emt_streams', partition_name);
    v_messages := cartgraph_partition_of('emt_messages', partition_name);
    v_subscriptions := cartgraph_partition_of('emt_subscriptions', partition_name);
    IF v_streams IS NULL AND v_messages IS NULL AND v_subscriptions IS NULL
       AND cartgraph_take_pooled_partitions(partition_name) THEN
        RETURN;
    END IF;
    IF v_streams IS NULL THEN
        PERFORM cartgraph_attach_partition('emt_streams', partition_name, cartgraph_stage_partition('emt_streams', partition_name));
    END IF;
    IF v_messages IS NULL THEN
        PERFORM cartgraph_attach_partition('emt_messages', partition_name, cartgraph_stage_partition('emt_messages', partition_name));
    END IF;
    IF v_subscriptions IS NULL THEN
        PERFORM cartgraph_attach_partition('emt_subscriptions', partition_name, cartgraph_stage_partition('emt_subscriptions', partition_name));
    END IF;
END;
$$;
