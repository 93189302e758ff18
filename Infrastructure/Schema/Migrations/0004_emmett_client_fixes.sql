-- Two fixes found by running Emmett 0.42's own Node client against this schema (Tests/Emmett).

-- 1. emt_add_partition no longer deadlocks with appends. Creating a partition takes an ACCESS EXCLUSIVE lock on
-- each parent table in turn, while appends hold a lock on one of emt_streams / emt_messages and wait for the other:
-- a caller without CartGraph's own precautions (TenantPartitions: a short lock_timeout, then retry), such as a Node
-- service provisioning a tenant, made PostgreSQL abort one side with 40P01. Now the function takes the three parent
-- locks together, waiting at most 50 ms for each (less than any sane deadlock_timeout), and on a timeout lets them all
-- go (the subtransaction's rollback releases them and undoes any half-made partition), steps aside and tries again,
-- about 4 s in all before it fails with 55P03. An existing tenant takes no lock.
CREATE OR REPLACE FUNCTION emt_add_partition(partition_name TEXT) RETURNS void
LANGUAGE plpgsql
SET lock_timeout = '50ms'
AS $$
DECLARE
    v_attempt INT := 0;
BEGIN
    IF cartgraph_partition_of('emt_streams', partition_name) IS NOT NULL
       AND cartgraph_partition_of('emt_messages', partition_name) IS NOT NULL
       AND cartgraph_partition_of('emt_subscriptions', partition_name) IS NOT NULL THEN
        RETURN;
    END IF;
    LOOP
        BEGIN
            LOCK TABLE ONLY emt_streams, ONLY emt_messages, ONLY emt_subscriptions IN ACCESS EXCLUSIVE MODE;
            PERFORM emt_add_table_partition('emt_streams', partition_name);
            PERFORM emt_add_table_partition('emt_messages', partition_name);
            PERFORM emt_add_table_partition('emt_subscriptions', partition_name);
            RETURN;
        EXCEPTION WHEN lock_not_available THEN
            v_attempt := v_attempt + 1;
            IF v_attempt >= 40 THEN
                RAISE;
            END IF;
            PERFORM pg_sleep((10 + random() * 40) / 1000.0);
        END;
    END LOOP;
END;
$$;

-- 2. emt_append_to_stream refuses a negative expected position, as Emmett's own function and CartGraph's append do
-- (no stream is ever at -1). It treated one like 0 and created the stream. Otherwise unchanged from 0002.
CREATE OR REPLACE FUNCTION emt_append_to_stream(
    v_message_ids              TEXT[],
    v_messages_data            JSONB[],
    v_messages_metadata        JSONB[],
    v_message_schema_versions  TEXT[],
    v_message_types            TEXT[],
    v_message_kinds            TEXT[],
    v_stream_id                TEXT,
    v_stream_type              TEXT,
    v_expected_stream_position BIGINT DEFAULT NULL,
    v_partition                TEXT DEFAULT 'emt:default'
) RETURNS TABLE (
    success              BOOLEAN,
    next_stream_position BIGINT,
    global_positions     BIGINT[],
    transaction_id       XID8
) LANGUAGE plpgsql
AS $$
#variable_conflict use_column
DECLARE
    v_count     INT := coalesce(cardinality(v_messages_data), 0);
    v_next      BIGINT;
    v_positions BIGINT[];
BEGIN
    IF v_count = 0 THEN
        RAISE EXCEPTION 'an append needs at least one message' USING ERRCODE = '22023';
    END IF;

    IF v_expected_stream_position <> 0 THEN
        UPDATE emt_streams SET stream_position = stream_position + v_count
         WHERE stream_id = v_stream_id AND partition = v_partition AND is_archived = FALSE
           AND stream_position = v_expected_stream_position
        RETURNING stream_position INTO v_next;
    ELSIF NOT EXISTS (SELECT 1 FROM emt_streams
                       WHERE stream_id = v_stream_id AND partition = v_partition AND is_archived = TRUE) THEN
        IF v_expected_stream_position IS NULL THEN
            INSERT INTO emt_streams (stream_id, stream_position, partition, stream_type, stream_metadata)
            VALUES (v_stream_id, v_count, v_partition, v_stream_type, '{}')
            ON CONFLICT (stream_id, partition, is_archived)
                DO UPDATE SET stream_position = emt_streams.stream_position + v_count
            RETURNING stream_position INTO v_next;
        ELSE
            INSERT INTO emt_streams (stream_id, stream_position, partition, stream_type, stream_metadata)
            VALUES (v_stream_id, v_count, v_partition, v_stream_type, '{}')
            ON CONFLICT (stream_id, partition, is_archived) DO NOTHING
            RETURNING stream_position INTO v_next;
        END IF;
    END IF;

    IF v_next IS NULL THEN
        RETURN QUERY SELECT FALSE, NULL::BIGINT, NULL::BIGINT[], NULL::XID8;
        RETURN;
    END IF;

    WITH inserted AS (
        INSERT INTO emt_messages (stream_id, stream_position, partition, message_data, message_metadata,
                                  message_schema_version, message_type, message_kind, message_id, transaction_id)
        SELECT v_stream_id, v_next - v_count + m.ordinal, v_partition, m.data, m.metadata,
               m.schema_version, m.message_type, m.kind, m.id, pg_current_xact_id()
          FROM unnest(v_message_ids, v_messages_data, v_messages_metadata, v_message_schema_versions,
                      v_message_types, v_message_kinds)
               WITH ORDINALITY AS m(id, data, metadata, schema_version, message_type, kind, ordinal)
         ORDER BY m.ordinal
        RETURNING global_position
    )
    SELECT array_agg(global_position ORDER BY global_position) INTO v_positions FROM inserted;

    RETURN QUERY SELECT TRUE, v_next, v_positions, pg_current_xact_id();
END;
$$;
