-- The look-ups of a tenant's tables reach each catalog row by its key, whatever plan PostgreSQL makes.
--
-- Why: CartGraph's connections force generic plans (PostgresDatabase.Commands), and PL/pgSQL plans the statements of a
-- function as its caller's session says. A generic plan of 0013's joins (candidate names ⋈ pg_class ⋈ pg_inherits) does
-- not know how few candidates there are: it read pg_class sequentially, or walked every bucket's partitions and
-- rendered each one's bound, so a look-up read rows in proportion to the relations of the database (800 rows of
-- pg_class and pg_inherits per look-up in a database of 12 tenants, 2 400 per cartgraph_tenant_tables; 8.4 ms per
-- look-up at 1 000 tenants against 1.1 ms with a custom plan, 20 ms for cartgraph_tenant_tables, on a loaded machine).
-- An onboarding makes six look-ups, three of its buckets, and its first append a cartgraph_tenant_tables; measured
-- at 1 000 tenants under 16 writers, they were about 45 % of it. Each statement here reads one catalog by one key (a
-- partition has one parent: its row is found by the partition, never among its parent's children), so its generic
-- plan is that index's scan. Same results as 0013; the buckets are found by their names (0012: table$00 … table$63),
-- checked.

CREATE OR REPLACE FUNCTION cartgraph_partition_of(p_table TEXT, p_partition TEXT) RETURNS TEXT
LANGUAGE plpgsql STABLE STRICT
AS $$
DECLARE
    v_parent    OID := p_table::regclass;
    v_namespace OID := (SELECT relnamespace FROM pg_class WHERE oid = p_table::regclass);
    v_name      TEXT;
    v_oid       OID;
    v_bound     TEXT;
    v_bucket    OID;
BEGIN
    FOREACH v_name IN ARRAY cartgraph_partition_names(p_table, p_partition) LOOP
        SELECT oid, pg_get_expr(relpartbound, 0) INTO v_oid, v_bound
          FROM pg_class WHERE relname = v_name::name AND relnamespace = v_namespace;
        CONTINUE WHEN v_oid IS NULL OR v_bound IS DISTINCT FROM format('FOR VALUES IN (%L)', p_partition);
        SELECT inhparent INTO v_bucket FROM pg_inherits WHERE inhrelid = v_oid;
        IF (SELECT inhparent FROM pg_inherits WHERE inhrelid = v_bucket) = v_parent THEN
            RETURN v_name;
        END IF;
    END LOOP;
    RETURN NULL;
END;
$$;

-- The bucket by its name, its bound checked; 0013's scan of every bucket's bound when the names are not 0012's.
CREATE OR REPLACE FUNCTION cartgraph_bucket_of(p_table TEXT, p_partition TEXT) RETURNS TEXT
LANGUAGE plpgsql STABLE STRICT
AS $$
DECLARE
    v_parent  OID := p_table::regclass;
    v_modulus INT;
    v_bucket  OID;
    v_bound   TEXT[];
BEGIN
    SELECT regexp_match(pg_get_expr(relpartbound, oid), 'modulus (\d+), remainder (\d+)') INTO v_bound
      FROM pg_class WHERE oid = to_regclass(quote_ident(p_table || '$00'));
    v_modulus := v_bound[1]::int;
    IF v_modulus IS NOT NULL THEN
        FOR r IN 0 .. v_modulus - 1 LOOP
            CONTINUE WHEN NOT satisfies_hash_partition(v_parent, v_modulus, r, p_partition);
            v_bucket := to_regclass(quote_ident(p_table || '$' || lpad(r::text, 2, '0')));
            SELECT regexp_match(pg_get_expr(relpartbound, oid), 'modulus (\d+), remainder (\d+)') INTO v_bound
              FROM pg_class WHERE oid = v_bucket;
            IF v_bound = ARRAY[v_modulus::text, r::text]
               AND (SELECT inhparent FROM pg_inherits WHERE inhrelid = v_bucket) = v_parent THEN
                RETURN (SELECT relname::text FROM pg_class WHERE oid = v_bucket);
            END IF;
            EXIT;
        END LOOP;
    END IF;
    RETURN (SELECT c.relname::text
              FROM pg_inherits i
              JOIN pg_class c ON c.oid = i.inhrelid
             CROSS JOIN LATERAL regexp_match(pg_get_expr(c.relpartbound, c.oid), 'modulus (\d+), remainder (\d+)') AS b(bound)
             WHERE i.inhparent = v_parent
               AND satisfies_hash_partition(v_parent, b.bound[1]::int, b.bound[2]::int, p_partition));
END;
$$;

CREATE OR REPLACE FUNCTION cartgraph_unattached_partitions(p_table TEXT, p_partition TEXT) RETURNS SETOF TEXT
LANGUAGE plpgsql STABLE STRICT
AS $$
DECLARE
    v_namespace OID := (SELECT relnamespace FROM pg_class WHERE oid = p_table::regclass);
    v_name      TEXT;
    v_oid       OID;
BEGIN
    FOREACH v_name IN ARRAY cartgraph_partition_names(p_table, p_partition) LOOP
        SELECT oid INTO v_oid FROM pg_class
         WHERE relname = v_name::name AND relnamespace = v_namespace AND relkind IN ('r', 'p') AND NOT relispartition;
        CONTINUE WHEN v_oid IS NULL;
        IF EXISTS (SELECT FROM pg_constraint WHERE conrelid = v_oid AND contype = 'c'
                      AND cartgraph_check_as_bound(pg_get_expr(conbin, conrelid)) = cartgraph_partition_bound(p_partition)) THEN
            RETURN NEXT v_name;
        END IF;
    END LOOP;
END;
$$;

-- The leaf of a tenant's partitioned table (of emt_streams or emt_messages) for archived or active rows.
CREATE OR REPLACE FUNCTION cartgraph_leaf_of(p_table TEXT, p_archived BOOLEAN) RETURNS TEXT
LANGUAGE plpgsql STABLE STRICT
AS $$
DECLARE
    v_leaf OID;
BEGIN
    FOR v_leaf IN SELECT inhrelid FROM pg_inherits WHERE inhparent = quote_ident(p_table)::regclass LOOP
        IF (SELECT pg_get_expr(relpartbound, 0) FROM pg_class WHERE oid = v_leaf) = (CASE WHEN p_archived THEN 'FOR VALUES IN (true)' ELSE 'FOR VALUES IN (false)' END) THEN
            RETURN (SELECT relname::text FROM pg_class WHERE oid = v_leaf);
        END IF;
    END LOOP;
    RETURN NULL;
END;
$$;

-- 0007's, its leaves looked up among the children of the tenant's two partitioned tables.
CREATE OR REPLACE FUNCTION cartgraph_tenant_tables(p_partition TEXT)
RETURNS TABLE (streams TEXT, active_streams TEXT, archived_streams TEXT,
               messages TEXT, active_messages TEXT, archived_messages TEXT, subscriptions TEXT)
LANGUAGE plpgsql STABLE STRICT
AS $$
DECLARE
    v_streams       TEXT := cartgraph_partition_of('emt_streams', p_partition);
    v_messages      TEXT := cartgraph_partition_of('emt_messages', p_partition);
    v_subscriptions TEXT := cartgraph_partition_of('emt_subscriptions', p_partition);
BEGIN
    IF v_streams IS NULL OR v_messages IS NULL OR v_subscriptions IS NULL THEN
        RETURN;
    END IF;
    RETURN QUERY
    SELECT quote_ident(v_streams), quote_ident(sa), quote_ident(sr), quote_ident(v_messages), quote_ident(ma), quote_ident(mr),
           quote_ident(v_subscriptions)
      FROM cartgraph_leaf_of(v_streams, FALSE) sa, cartgraph_leaf_of(v_streams, TRUE) sr,
           cartgraph_leaf_of(v_messages, FALSE) ma, cartgraph_leaf_of(v_messages, TRUE) mr
     WHERE sa IS NOT NULL AND sr IS NOT NULL AND ma IS NOT NULL AND mr IS NOT NULL;
END;
$$;
