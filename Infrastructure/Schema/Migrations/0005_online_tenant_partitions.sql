-- Online onboarding: a tenant's partitions are made without an ACCESS EXCLUSIVE lock on any parent table.
--
-- CREATE TABLE ... PARTITION OF locks the parent ACCESS EXCLUSIVE, which waits for every statement on it (and,
-- queued, holds every new one up), so onboarding stalled all tenants and, past a couple of hundred of them, never
-- got its lock. Now each table is created on its own, LIKE its parent, with the partition bound as a CHECK
-- constraint ("staged"), then attached: ATTACH PARTITION takes SHARE UPDATE EXCLUSIVE on the parent, which
-- conflicts with no read or write, and skips its validation scan because the CHECK implies the bound. The indexes
-- LIKE copied match the parent's, so ATTACH attaches them instead of building new ones. The CHECK is redundant
-- once attached (the partition constraint enforces the same) and is dropped in the same transaction.
-- The CHECK's expression is exactly the one PostgreSQL adds to a partition it detaches concurrently, so a staged
-- table left by an import that died and a detached table left by a drop that died are both recognised as such.

-- The names a partition of p_table for p_partition may have, in the order cartgraph_partition_name tries them:
-- Emmett's (table || '_' || value, sanitized), then a shortened one with a hash of the value.
CREATE OR REPLACE FUNCTION cartgraph_partition_names(p_table TEXT, p_partition TEXT) RETURNS TEXT[]
LANGUAGE sql IMMUTABLE STRICT
AS $$
    SELECT ARRAY[emt_sanitize_name(p_table || '_' || p_partition),
                 left(emt_sanitize_name(p_table || '_' || p_partition), 45) || '_' || left(md5(p_partition), 8)]
$$;

-- Unchanged from 0001 but for the candidate names: the free one, unless it would pass 54 bytes (room for '_archived').
CREATE OR REPLACE FUNCTION cartgraph_partition_name(p_table TEXT, p_partition TEXT) RETURNS TEXT
LANGUAGE plpgsql STABLE STRICT
AS $$
DECLARE
    v_names TEXT[] := cartgraph_partition_names(p_table, p_partition);
BEGIN
    IF length(v_names[1]) <= 54 AND to_regclass(quote_ident(v_names[1])) IS NULL THEN
        RETURN v_names[1];
    END IF;
    RETURN v_names[2];
END;
$$;

-- The partition of p_table that holds p_partition, if any. 0001's scanned every partition of the table (and, through
-- pg_get_expr given each partition's oid, opened every one): with thousands of tenants that made every onboarding
-- and every existence check slower. Partitions are named by cartgraph_partition_name (or by Emmett, with the first
-- name), so looking up its candidate names, and checking the bound of the one found, takes the same time however
-- many tenants there are.
CREATE OR REPLACE FUNCTION cartgraph_partition_of(p_table TEXT, p_partition TEXT) RETURNS TEXT
LANGUAGE sql STABLE STRICT
AS $$
    SELECT c.relname::text
      FROM unnest(cartgraph_partition_names(p_table, p_partition)) AS candidate(name)
      JOIN pg_class c ON c.relname = candidate.name::name
                     AND c.relnamespace = (SELECT relnamespace FROM pg_class WHERE oid = p_table::regclass)
      JOIN pg_inherits i ON i.inhrelid = c.oid AND i.inhparent = p_table::regclass
     WHERE pg_get_expr(c.relpartbound, 0) = format('FOR VALUES IN (%L)', p_partition)
     LIMIT 1
$$;

-- The bound of p_partition, as the expression of a CHECK constraint on a table that is not attached.
CREATE OR REPLACE FUNCTION cartgraph_partition_bound(p_partition TEXT) RETURNS TEXT
LANGUAGE sql IMMUTABLE STRICT
AS $$ SELECT format('((partition IS NOT NULL) AND (partition = %L::text))', p_partition) $$;

-- Tables of p_table's shape that hold p_partition's bound but are no partition: staged, or detached.
CREATE OR REPLACE FUNCTION cartgraph_unattached_partitions(p_table TEXT, p_partition TEXT) RETURNS SETOF TEXT
LANGUAGE sql STABLE STRICT
AS $$
    SELECT c.relname::text
      FROM pg_class c
      JOIN pg_constraint k ON k.conrelid = c.oid AND k.contype = 'c'
     WHERE c.relnamespace = (SELECT relnamespace FROM pg_class WHERE oid = p_table::regclass)
       AND c.relkind IN ('r', 'p') AND NOT c.relispartition
       AND starts_with(c.relname, emt_sanitize_name(p_table || '_'))
       AND pg_get_expr(k.conbin, k.conrelid) = cartgraph_partition_bound(p_partition)
$$;

-- Creates, detached, the table that will hold p_partition's rows of p_table (for emt_streams and emt_messages,
-- partitioned by is_archived into an active and an archived leaf), and returns its name. Leftovers of the same
-- value are dropped first: the caller holds the tenant's advisory lock, so none of them belongs to a live import.
-- Only the new tables are locked; the parent is read, not locked beyond ACCESS SHARE.
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
    IF p_table IN ('emt_streams', 'emt_messages') THEN
        EXECUTE format('CREATE TABLE %I (LIKE %I INCLUDING ALL, CHECK (partition IS NOT NULL AND partition = %L)) PARTITION BY LIST (is_archived)',
                       v_name, p_table, p_partition);
        EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES IN (FALSE)', v_name || '_active', v_name);
        EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES IN (TRUE)', v_name || '_archived', v_name);
    ELSE
        EXECUTE format('CREATE TABLE %I (LIKE %I INCLUDING ALL, CHECK (partition IS NOT NULL AND partition = %L))',
                       v_name, p_table, p_partition);
    END IF;
    RETURN v_name;
END;
$$;

-- Attaches a staged (or detached) table as p_partition's partition of p_table: SHARE UPDATE EXCLUSIVE on the parent,
-- no scan, no index build. Then drops the bound's CHECK, now redundant (it recurses to the leaves).
CREATE OR REPLACE FUNCTION cartgraph_attach_partition(p_table TEXT, p_partition TEXT, p_name TEXT) RETURNS void
LANGUAGE plpgsql
AS $$
DECLARE
    v_constraint TEXT;
BEGIN
    EXECUTE format('ALTER TABLE %I ATTACH PARTITION %I FOR VALUES IN (%L)', p_table, p_name, p_partition);
    FOR v_constraint IN
        SELECT conname FROM pg_constraint
         WHERE conrelid = p_name::regclass AND contype = 'c' AND conislocal
           AND pg_get_expr(conbin, conrelid) = cartgraph_partition_bound(p_partition)
    LOOP
        EXECUTE format('ALTER TABLE %I DROP CONSTRAINT %I', p_name, v_constraint);
    END LOOP;
END;
$$;

-- Emmett's name and signature: the partition of one table for one value, staged then attached. Idempotent.
CREATE OR REPLACE FUNCTION emt_add_table_partition(tablename TEXT, partition_name TEXT) RETURNS void
LANGUAGE plpgsql
AS $$
BEGIN
    IF cartgraph_partition_of(tablename, partition_name) IS NULL THEN
        PERFORM cartgraph_attach_partition(tablename, partition_name, cartgraph_stage_partition(tablename, partition_name));
    END IF;
END;
$$;

-- Emmett's partition helper: the partitions of every event store table for one value, in one transaction.
-- It locks no parent beyond SHARE UPDATE EXCLUSIVE, so it neither waits for reads and writes nor holds them up;
-- onboardings queue behind each other (parents always in the same order, so they cannot deadlock). Serialized
-- per value by an advisory lock, which an import or a drop of the tenant holds for its whole run. An existing
-- tenant takes no lock at all. Replaces 0004's version, whose bounded waits for ACCESS EXCLUSIVE are gone.
CREATE OR REPLACE FUNCTION emt_add_partition(partition_name TEXT) RETURNS void
LANGUAGE plpgsql
AS $$
BEGIN
    IF cartgraph_partition_of('emt_streams', partition_name) IS NOT NULL
       AND cartgraph_partition_of('emt_messages', partition_name) IS NOT NULL
       AND cartgraph_partition_of('emt_subscriptions', partition_name) IS NOT NULL THEN
        RETURN;
    END IF;
    PERFORM pg_advisory_xact_lock(hashtext('cartgraph:partition:' || partition_name));
    PERFORM emt_add_table_partition('emt_streams', partition_name);
    PERFORM emt_add_table_partition('emt_messages', partition_name);
    PERFORM emt_add_table_partition('emt_subscriptions', partition_name);
END;
$$;
