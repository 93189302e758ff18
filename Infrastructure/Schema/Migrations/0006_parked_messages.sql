-- Messages a projection could not apply, per stream: the stream waits behind its parked message (its bookmark stays
-- below it) while every other stream goes on. An entry with skipped_at is an operator's decision to pass over that one
-- message (the `parked skip` verb), kept for the record and honoured when a rebuild meets the message again.
CREATE TABLE IF NOT EXISTS cartgraph_parked_messages (
    projection         TEXT        NOT NULL,
    projection_version INT         NOT NULL,
    tenant_id          TEXT        NOT NULL,
    stream_id          TEXT        NOT NULL,
    stream_position    BIGINT      NOT NULL,
    global_position    BIGINT      NOT NULL,
    message_id         TEXT        NOT NULL,
    message_type       TEXT        NOT NULL,
    error              TEXT        NOT NULL,
    first_attempt      TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_attempt       TIMESTAMPTZ NOT NULL DEFAULT now(),
    attempts           INT         NOT NULL DEFAULT 1,
    skipped_at         TIMESTAMPTZ,
    skipped_by         TEXT,
    PRIMARY KEY (projection, projection_version, tenant_id, stream_id, stream_position)
);

-- At most one parked message per stream: the first one its projection could not apply.
CREATE UNIQUE INDEX IF NOT EXISTS idx_parked_messages_waiting
    ON cartgraph_parked_messages (projection, projection_version, tenant_id, stream_id) WHERE skipped_at IS NULL;
