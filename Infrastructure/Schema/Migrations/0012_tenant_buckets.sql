-- A level of 64 hash buckets between each event store table and its tenants: emt_streams, emt_messages and
-- emt_subscriptions are partitioned BY HASH (partition) into 64 buckets ("emt_messages$00" … "emt_messages$63"), each
-- partitioned BY LIST (partition) into its tenants' tables, which keep their names, bounds and leaves.
--
-- Why (docs/scaling.md): ATTACH PARTITION rebuilds its parent's partition descriptor (every partition's bound) to check
-- the new bound against the others, and validates each partitioned index by counting the parent's partitions, so an
-- onboarding took time in proportion to the tenant count (10–17 ms per attach at 1 000 tenants against 0.5–0.7 ms at 10,
-- on a quiet machine). Attached to its bucket, a tenant's table has 1/64 of the tenants beside it.
-- Statements that name the parent prune to one bucket at plan time for a constant tenant and at run time for a
-- parameter, so Emmett's functions and queries on the parents keep working (and route their rows through the bucket).
--
-- NOTE: a bucket's hash bound cannot be implied by a CHECK constraint of the staged table (PostgreSQL compares the
-- expression and its collation exactly, and a CHECK written in SQL carries the column's collation), so ATTACH verifies
-- the staged table: a new tenant's tables are empty and the scan reads nothing, under the lock the staged table already
-- has (ACCESS EXCLUSIVE, on it alone). An import attaches filled tables, and scans its rows once.
--
-- Upgrading: this migration moves every tenant's tables from the old parents to their buckets in its transaction. It
-- locks the three event store tables ACCESS EXCLUSIVE from its first statement to its commit: every read and write of
-- the event store waits for it, and it takes as long as detaching and attaching every tenant's tables and reading each
-- tenant's rows once (the attach's verification). Run it at a quiet moment; other tables (carts, …) stay available.

-- The bucket of p_table that holds p_partition's table, by the remainder of its hash. Null when p_table has no buckets.
CREATE OR REPLACE FUNCTION cartgraph_bucket_of(p_table TEXT, p_partition TEXT) RETURNS TEXT
LANGUAGE sql STABLE STRICT
AS $$
    SELECT c.relname::text
      FROM pg_inherits i
      JOIN pg_class c ON c.oid = i.inhrelid
     CROSS JOIN LATERAL regexp_match(pg_get_expr(c.relpartbound, c.oid), 'modulus (\d+), remainder (\d+)') AS b(bound)
     WHERE i.inhparent = p_table::regclass
       AND satisfies_hash_partition(p_table::regclass::oid, b.bound[1]::int, b.bound[2]::int, p_partition)
$$;

-- The partition of p_table that holds p_partition, if any: a table of one of p_table's buckets, found by its candidate
-- names (0005), so in the same time for any tenant count.
CREATE OR REPLACE FUNCTION cartgraph_partition_of(p_table TEXT, p_partition TEXT) RETURNS TEXT
LANGUAGE sql STABLE STRICT
AS $$
    SELECT c.relname::text
      FROM unnest(cartgraph_partition_names(p_table, p_partition)) AS candidate(name)
      JOIN pg_class c ON c.relname = candidate.name::name
                     AND c.relnamespace = (SELECT relnamespace FROM pg_class WHERE oid = p_table::regclass)
      JOIN pg_inherits i ON i.inhrelid = c.oid
      JOIN pg_inherits b ON b.inhrelid = i.inhparent AND b.inhparent = p_table::regclass
     WHERE pg_get_expr(c.relpartbound, 0) = format('FOR VALUES IN (%L)', p_partition)
     LIMIT 1
$$;

-- The CHECK of a table that is no partition, as cartgraph_partition_bound writes it. DETACH … CONCURRENTLY adds the
-- partition constraint as a CHECK, which under a bucket begins with the bucket's own (satisfies_hash_partition(…)):
-- that part is left out, so that a table detached by a drop that died is recognised as its tenant's.
CREATE OR REPLACE FUNCTION cartgraph_check_as_bound(p_expression TEXT) RETURNS TEXT
LANGUAGE sql IMMUTABLE STRICT
AS $$ SELECT regexp_replace(p_expression, '^\(satisfies_hash_partition\(''\d+''::oid, \d+, \d+, partition\) AND ', '(') $$;

-- Tables of p_table's shape that hold p_partition's bound but are no partition: staged, or detached. 0005's scanned
-- every table whose name starts like p_table's partitions (a few ms at 1 000 tenants, tens at 10 000, three times per
-- onboarding); a tenant's tables only ever have its candidate names (staged or created under them, detached with them),
-- so those are looked up.
CREATE OR REPLACE FUNCTION cartgraph_unattached_partitions(p_table TEXT, p_partition TEXT) RETURNS SETOF TEXT
LANGUAGE sql STABLE STRICT
AS $$
    SELECT c.relname::text
      FROM unnest(cartgraph_partition_names(p_table, p_partition)) AS candidate(name)
      JOIN pg_class c ON c.relname = candidate.name::name
                     AND c.relnamespace = (SELECT relnamespace FROM pg_class WHERE oid = p_table::regclass)
      JOIN pg_constraint k ON k.conrelid = c.oid AND k.contype = 'c'
     WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition
       AND cartgraph_check_as_bound(pg_get_expr(k.conbin, k.conrelid)) = cartgraph_partition_bound(p_partition)
$$;

-- Attaches a staged (or detached) table as p_partition's partition of its bucket of p_table: SHARE UPDATE EXCLUSIVE on
-- the bucket alone, no index build, a verification of the table (see above). Then drops the bound's CHECK, now redundant.
CREATE OR REPLACE FUNCTION cartgraph_attach_partition(p_table TEXT, p_partition TEXT, p_name TEXT) RETURNS void
LANGUAGE plpgsql
AS $$
DECLARE
    v_bucket     TEXT := cartgraph_bucket_of(p_table, p_partition);
    v_constraint TEXT;
BEGIN
    IF v_bucket IS NULL THEN
        RAISE EXCEPTION 'table % has no bucket for partition %', p_table, p_partition;
    END IF;
    EXECUTE format('ALTER TABLE %I ATTACH PARTITION %I FOR VALUES IN (%L)', v_bucket, p_name, p_partition);
    FOR v_constraint IN
        SELECT conname FROM pg_constraint
         WHERE conrelid = p_name::regclass AND contype = 'c' AND conislocal
           AND cartgraph_check_as_bound(pg_get_expr(conbin, conrelid)) = cartgraph_partition_bound(p_partition)
    LOOP
        EXECUTE format('ALTER TABLE %I DROP CONSTRAINT %I', p_name, v_constraint);
    END LOOP;
END;
$$;

-- Rebuilds p_table with buckets: the old one renamed aside with its indexes, the new one made with the same columns,
-- keys and index names (p_indexes: CREATE INDEX statements, %I the table), every partition moved, the old one dropped.
CREATE OR REPLACE FUNCTION pg_temp.cartgraph_bucket_table(p_table TEXT, p_key TEXT, p_indexes TEXT[]) RETURNS void
LANGUAGE plpgsql
AS $$
DECLARE
    v_old    TEXT := p_table || '$list';
    v_index  TEXT;
    v_child  RECORD;
BEGIN
    EXECUTE format('LOCK TABLE %I IN ACCESS EXCLUSIVE MODE', p_table);
    EXECUTE format('ALTER TABLE %I RENAME TO %I', p_table, v_old);
    FOR v_index IN SELECT c.relname FROM pg_index x JOIN pg_class c ON c.oid = x.indexrelid WHERE x.indrelid = v_old::regclass LOOP
        EXECUTE format('ALTER INDEX %I RENAME TO %I', v_index, left(v_index, 50) || '$list');
    END LOOP;
    EXECUTE format('CREATE TABLE %I (LIKE %I INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING STORAGE INCLUDING COMMENTS, '
                   'PRIMARY KEY (%s)) PARTITION BY HASH (partition)', p_table, v_old, p_key);
    FOREACH v_index IN ARRAY p_indexes LOOP
        EXECUTE format(v_index, p_table);
    END LOOP;
    FOR r IN 0..63 LOOP
        EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES WITH (MODULUS 64, REMAINDER %s) PARTITION BY LIST (partition)',
                       p_table || '$' || lpad(r::text, 2, '0'), p_table, r);
    END LOOP;
    -- A partition being detached concurrently (a tenant drop that died) is finished, and left for the next drop to find.
    FOR v_child IN
        SELECT c.relname::text AS name, i.inhdetachpending AS pending,
               substring(pg_get_expr(c.relpartbound, 0) FROM '^FOR VALUES IN \(''(.*)''\)$') AS quoted
          FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
         WHERE i.inhparent = v_old::regclass
    LOOP
        IF v_child.pending THEN
            EXECUTE format('ALTER TABLE %I DETACH PARTITION %I FINALIZE', v_old, v_child.name);
            CONTINUE;
        END IF;
        IF v_child.quoted IS NULL THEN
            RAISE EXCEPTION 'partition % of % is not one tenant''s (FOR VALUES IN (''…'')); move it by hand first', v_child.name, v_old;
        END IF;
        EXECUTE format('ALTER TABLE %I DETACH PARTITION %I', v_old, v_child.name);
        PERFORM cartgraph_attach_partition(p_table, replace(v_child.quoted, '''''', ''''), v_child.name);
    END LOOP;
    EXECUTE format('DROP TABLE %I', v_old);
END;
$$;

LOCK TABLE emt_streams, emt_messages, emt_subscriptions IN ACCESS EXCLUSIVE MODE;

SELECT pg_temp.cartgraph_bucket_table('emt_streams', 'stream_id, partition, is_archived', ARRAY[
    'CREATE UNIQUE INDEX idx_streams_unique ON %I (stream_id, partition, is_archived) INCLUDE (stream_position)']);

SELECT pg_temp.cartgraph_bucket_table('emt_messages', 'stream_id, stream_position, partition, is_archived', ARRAY[
    'CREATE INDEX idx_messages_transaction_position ON %I (transaction_id, global_position)',
    'CREATE INDEX idx_messages_global_position ON %I (global_position)',
    'CREATE UNIQUE INDEX idx_messages_stream_message_id ON %I (stream_id, message_id, partition, is_archived)']);

SELECT pg_temp.cartgraph_bucket_table('emt_subscriptions', 'subscription_id, partition, version', ARRAY[]::TEXT[]);

DROP FUNCTION pg_temp.cartgraph_bucket_table(TEXT, TEXT, TEXT[]);
