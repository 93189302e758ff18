-- Emmett's append, with Emmett's name, signature and result, so that a Node service using Emmett's
-- appendToStream can write to this database. Same semantics as CartGraph's own append (EventStore.Append.cs),
-- which sends them as one statement instead (a function call doubled the server time of an append):
--   v_expected_stream_position NULL  append after the current position; creates the stream if needed
--                              0     the stream must not exist yet
--                              n     the stream must be exactly at n
-- A refusal (wrong position, racing creator, archived stream) returns success = FALSE and writes nothing.

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

    IF v_expected_stream_position > 0 THEN
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
