-- A tenant's indexes are named after its table and the event store index they are partitions of, computed once
-- attached; an onboarding with the pool empty makes a set under a pool name first and takes it, as from the pool.
--
-- Why (OnboardingSpecs): PostgreSQL names an index after its table and its columns, cut to fit 63 bytes, and numbers it
-- while the name is taken (ChooseRelationName); 0014's renames followed the same rule. For tenants whose ids share a
-- long prefix the cut names were the same: an onboarding probed numbers in proportion to those tenants, and two at
-- once, neither seeing the other's uncommitted name, could pick the same one and one failed on pg_class's unique name
-- (seen at 10 000 tenants named bench-n-00000 …, once 0016's unique index on emt_subscriptions had its columns in its
-- name where the primary key had had 'pkey'). A table's name is unique; so is the name made of it and the event store
-- index's label, or, past 63 bytes, of its first 54 bytes and 8 hex digits of the whole name's md5.
--
-- Tables created for a tenant under its own names get PostgreSQL's index names at creation, with the same race: an
-- onboarding that finds the pool empty now makes a set under a pool name (cartgraph_pool_<id>_…, the id from a
-- sequence, so no other session can choose it) in its own transaction and takes it like any pooled set. An import
-- still stages under the tenant's names (it is recognised by them if it dies half-way); its indexes are renamed by
-- the same rule once attached. Indexes of tenants onboarded before keep their names.

-- The name of index p_index of table p_table, attached: p_table, '_', and the name of the event store index at the top
-- of p_index's parents less its 'idx_'; past 63 bytes, the first 54 and '_' and 8 hex digits of that name's md5.
CREATE OR REPLACE FUNCTION cartgraph_tenant_index_name(p_table TEXT, p_index REGCLASS) RETURNS TEXT
LANGUAGE plpgsql STABLE STRICT
AS $$
DECLARE
    v_top    OID := p_index;
    v_parent OID;
    v_name   TEXT;
BEGIN
    LOOP
        v_parent := (SELECT inhparent FROM pg_inherits WHERE inhrelid = v_top);
        EXIT WHEN v_parent IS NULL;
        v_top := v_parent;
    END LOOP;
    v_name := p_table || '_' || regexp_replace((SELECT relname::text FROM pg_class WHERE oid = v_top), '^idx_', '');
    IF octet_length(v_name) > 63 THEN
        v_name := left(v_name, 54) || '_' || left(md5(v_name), 8);
    END IF;
    RETURN v_name;
END;
$$;

-- Renames the indexes of attached table p_name and of its leaves by cartgraph_tenant_index_name; a name already taken
-- (by nothing CartGraph makes) is left as it is.
CREATE OR REPLACE FUNCTION cartgraph_name_tenant_indexes(p_name TEXT) RETURNS void
LANGUAGE plpgsql
AS $$
DECLARE
    v_table  REGCLASS := quote_ident(p_name)::regclass;
    v_tables REGCLASS[];
    v_each   REGCLASS;
    v_index  RECORD;
    v_target TEXT;
BEGIN
    -- One table at a time, each catalog row by its key (as 0015's look-ups: a generic plan of an OR would read pg_index).
    v_tables := ARRAY[v_table] || ARRAY(SELECT inhrelid::regclass FROM pg_inherits WHERE inhparent = v_table ORDER BY inhrelid);
    FOREACH v_each IN ARRAY v_tables LOOP
        FOR v_index IN
            SELECT x.indexrelid::regclass AS index, (SELECT relname::text FROM pg_class WHERE oid = x.indexrelid) AS name
              FROM pg_index x WHERE x.indrelid = v_each ORDER BY x.indexrelid
        LOOP
            v_target := cartgraph_tenant_index_name((SELECT relname::text FROM pg_class WHERE oid = v_each), v_index.index);
            CONTINUE WHEN v_target = v_index.name OR to_regclass(quote_ident(v_target)) IS NOT NULL;
            EXECUTE format('ALTER INDEX %s RENAME TO %I', v_index.index, v_target);
        END LOOP;
    END LOOP;
END;
$$;

-- 0012's, its indexes named by cartgraph_name_tenant_indexes once attached.
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
    PERFORM cartgraph_name_tenant_indexes(p_name);
END;
$$;

-- 0014's, renaming the tables and leaves only: their indexes are named once attached.
CREATE OR REPLACE FUNCTION cartgraph_rename_pooled(p_from TEXT, p_to TEXT) RETURNS void
LANGUAGE plpgsql
AS $$
DECLARE
    v_table  REGCLASS := quote_ident(p_from)::regclass;
    v_leaves REGCLASS[];
    v_leaf   REGCLASS;
    v_name   TEXT;
BEGIN
    v_leaves := ARRAY(SELECT inhrelid::regclass FROM pg_inherits WHERE inhparent = v_table ORDER BY inhrelid);
    EXECUTE format('ALTER TABLE %I RENAME TO %I', p_from, p_to);
    FOREACH v_leaf IN ARRAY v_leaves LOOP
        v_name := (SELECT relname::text FROM pg_class WHERE oid = v_leaf);
        EXECUTE format('ALTER TABLE %s RENAME TO %I', v_leaf, p_to || substr(v_name, length(p_from) + 1));
    END LOOP;
END;
$$;

-- A new set under pool names, in the caller's transaction: its id.
CREATE OR REPLACE FUNCTION cartgraph_make_pooled_set() RETURNS BIGINT
LANGUAGE plpgsql
AS $$
DECLARE
    v_id    BIGINT;
    v_table TEXT;
BEGIN
    INSERT INTO cartgraph_partition_pool DEFAULT VALUES RETURNING id INTO v_id;
    FOREACH v_table IN ARRAY ARRAY['emt_streams', 'emt_messages', 'emt_subscriptions'] LOOP
        PERFORM cartgraph_create_unattached(v_table, cartgraph_pooled_table(v_id, v_table), NULL);
    END LOOP;
    RETURN v_id;
END;
$$;

-- 0014's, its set made by cartgraph_make_pooled_set.
CREATE OR REPLACE FUNCTION cartgraph_fill_partition_pool(p_size INT) RETURNS BOOLEAN
LANGUAGE plpgsql
AS $$
BEGIN
    IF NOT pg_try_advisory_xact_lock(hashtext('cartgraph:partition-pool'))
       OR (SELECT count(*) FROM cartgraph_partition_pool) >= p_size THEN
        RETURN FALSE;
    END IF;
    PERFORM cartgraph_make_pooled_set();
    RETURN TRUE;
END;
$$;

-- 0014's; a tenant with none of its tables takes a pooled set, made for it when the pool is empty.
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
    IF v_streams IS NULL AND v_messages IS NULL AND v_subscriptions IS NULL THEN
        IF NOT cartgraph_take_pooled_partitions(partition_name) THEN
            PERFORM cartgraph_make_pooled_set();
            IF NOT cartgraph_take_pooled_partitions(partition_name) THEN
                RAISE EXCEPTION 'the set of tables made for partition % was not found in the pool', partition_name;
            END IF;
        END IF;
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
