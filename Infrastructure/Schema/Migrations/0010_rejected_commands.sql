-- Keyed commands that appended no event: rejected by the decider (error: the aggregate's own codec's text, as
-- Infrastructure knows no rule) or accepted with nothing to change (error NULL, version: the stream's version then). A
-- repeat of the command with its key answers that first outcome instead of being decided again (it might be decided
-- otherwise on a cart that changed since). One row per stream and key, the first outcome being the one kept. Kept as long as the stream, archived or not (archiving leaves it); erased with
-- the tenant by `tenant drop` (RejectedCommandRows).
CREATE TABLE IF NOT EXISTS cartgraph_rejected_commands (
    tenant_id       TEXT        NOT NULL,
    stream_id       TEXT        NOT NULL,
    idempotency_key TEXT        NOT NULL,
    fingerprint     TEXT        NOT NULL,
    error           TEXT,
    version         BIGINT      NOT NULL,
    rejected_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, stream_id, idempotency_key)
);
