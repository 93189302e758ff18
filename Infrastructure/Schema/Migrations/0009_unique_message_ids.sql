-- A message id is unique in its stream: the store's own guard for appends that must happen once (a command retried
-- with its idempotency key, two instances racing with the same message). An append whose ids are already in its
-- stream is refused by this index whatever it expected of the stream, and the store answers it with the positions
-- those ids got (EventStore.AppendAsync: "already appended").
--
-- Per partition and archive state, as every unique index of a partitioned table must include its partition keys: a
-- stream lives in one partition, and an archived stream takes no appends, so uniqueness in the stream holds.
-- Emmett's writers (emt_append_to_stream) give each message a new UUID, so they are unaffected; partitions created
-- later get the index from their parent (CREATE ... LIKE ... INCLUDING ALL, ATTACH PARTITION).
-- NOTE: building it locks emt_messages against writes while it runs (once, at this migration).
CREATE UNIQUE INDEX IF NOT EXISTS idx_messages_stream_message_id
    ON emt_messages (stream_id, message_id, partition, is_archived);
