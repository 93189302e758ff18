-- The event store: Emmett's PostgreSQL schema (emt_streams, emt_messages, emt_subscriptions and the
-- global position sequence), list-partitioned per tenant, with Emmett's partition helpers.
-- NOTE: the seed's default '${customer_id}' is a placeholder for the tenant; every writer names its
-- partition, and a row that names none lands in Emmett's default partition 'emt:default'.

CREATE SEQUENCE IF NOT EXISTS emt_global_message_position;

CREATE TABLE IF NOT EXISTS emt_streams (
    stream_id       TEXT    NOT NULL,
    stream_position BIGINT  NOT NULL,
    partition       TEXT    NOT NULL DEFAULT 'emt:default',
    stream_type     TEXT    NOT NULL,
    stream_metadata JSONB   NOT NULL,
    is_archived     BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (stream_id, partition, is_archived)
) PARTITION BY LIST (partition);

CREATE UNIQUE INDEX IF NOT EXISTS idx_streams_unique
    ON emt_streams (stream_id, partition, is_archived) INCLUDE (stream_position);

CREATE TABLE IF NOT EXISTS emt_messages (
    stream_id              TEXT        NOT NULL,
    stream_position        BIGINT      NOT NULL,
    partition              TEXT        NOT NULL DEFAULT 'emt:default',
    message_kind           CHAR(1)     NOT NULL DEFAULT 'E',
    message_data           JSONB       NOT NULL,
    message_metadata       JSONB       NOT NULL,
    message_schema_version TEXT        NOT NULL,
    message_type           TEXT        NOT NULL,
    message_id             TEXT        NOT NULL,
    is_archived            BOOLEAN     NOT NULL DEFAULT FALSE,
    global_position        BIGINT               DEFAULT nextval('emt_global_message_position'),
    transaction_id         XID8        NOT NULL,
    created                TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (stream_id, stream_position, partition, is_archived)
) PARTITION BY LIST (partition);

-- Consumers read a tenant's messages in commit order: (transaction_id, global_position).
CREATE INDEX IF NOT EXISTS idx_messages_transaction_position ON emt_messages (transaction_id, global_position);
CREATE INDEX IF NOT EXISTS idx_messages_global_position ON emt_messages (global_position);

CREATE TABLE IF NOT EXISTS emt_subscriptions (
    subscription_id               TEXT   NOT NULL,
    version                       INT    NOT NULL DEFAULT 1,
    partition                     TEXT   NOT NULL DEFAULT 'emt:default',
    last_processed_position       BIGINT NOT NULL,
    last_processed_transaction_id XID8   NOT NULL,
    PRIMARY KEY (subscription_id, partition, version)
) PARTITION BY LIST (partition);

-- Emmett's name rule: every character outside a-zA-Z0-9_ becomes '_'.
CREATE OR REPLACE FUNCTION emt_sanitize_name(input_name TEXT) RETURNS TEXT
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT regexp_replace(input_name, '[^a-zA-Z0-9_]', '_', 'g') $$;

-- The partition of p_table that holds p_partition, if any.
CREATE OR REPLACE FUNCTION cartgraph_partition_of(p_table TEXT, p_partition TEXT) RETURNS TEXT
LANGUAGE sql STABLE STRICT
AS $$
    SELECT c.relname::text
    FROM pg_inherits i
    JOIN pg_class c ON c.oid = i.inhrelid
    WHERE i.inhparent = p_table::regclass
      AND pg_get_expr(c.relpartbound, c.oid) = format('FOR VALUES IN (%L)', p_partition)
$$;

-- Emmett's leaf name (table || '_' || value, sanitized) when it is free and fits; otherwise, because two
-- values can sanitize alike ('a-b', 'a_b') and PostgreSQL truncates names past 63 bytes, a shortened
-- name with a hash of the value. The 9 spare bytes leave room for the '_archived' leaf suffix.
CREATE OR REPLACE FUNCTION cartgraph_partition_name(p_table TEXT, p_partition TEXT) RETURNS TEXT
LANGUAGE plpgsql STABLE STRICT
AS $$
DECLARE
    v_name TEXT := emt_sanitize_name(p_table || '_' || p_partition);
BEGIN
    IF length(v_name) <= 54 AND to_regclass(quote_ident(v_name)) IS NULL THEN
        RETURN v_name;
    END IF;
    RETURN left(v_name, 45) || '_' || left(md5(p_partition), 8);
END;
$$;

-- Creates the partition of one table for one value: for emt_streams and emt_messages a partition
-- by is_archived with an active (FALSE) and an archived (TRUE) leaf. Idempotent.
CREATE OR REPLACE FUNCTION emt_add_table_partition(tablename TEXT, partition_name TEXT) RETURNS void
LANGUAGE plpgsql
AS $$
DECLARE
    v_main TEXT;
    v_archivable BOOLEAN := tablename IN ('emt_streams', 'emt_messages');
BEGIN
    IF cartgraph_partition_of(tablename, partition_name) IS NOT NULL THEN
        RETURN;
    END IF;
    v_main := cartgraph_partition_name(tablename, partition_name);
    IF v_archivable THEN
        EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES IN (%L) PARTITION BY LIST (is_archived)',
                       v_main, tablename, partition_name);
        EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES IN (FALSE)', v_main || '_active', v_main);
        EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES IN (TRUE)', v_main || '_archived', v_main);
    ELSE
        EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES IN (%L)', v_main, tablename, partition_name);
    END IF;
END;
$$;

-- Emmett's partition helper: the partitions of every event store table for one value.
CREATE OR REPLACE FUNCTION emt_add_partition(partition_name TEXT) RETURNS void
LANGUAGE plpgsql
AS $$
BEGIN
    PERFORM emt_add_table_partition('emt_streams', partition_name);
    PERFORM emt_add_table_partition('emt_messages', partition_name);
    PERFORM emt_add_table_partition('emt_subscriptions', partition_name);
END;
$$;

SELECT emt_add_partition('emt:default');
