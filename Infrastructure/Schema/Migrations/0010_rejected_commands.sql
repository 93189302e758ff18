-- Keyed commands the decider rejected: a rejection appends no event, so the store keeps it here, and a repeat of the
-- command with its key answers the same error instead of being decided again (it might succeed on a cart that changed
-- since). One row per stream and key, as the first outcome is the one kept; the error is the aggregate's own codec's
-- text (Infrastructure knows no rule). Kept as long as the stream, archived or not (archiving leaves it); erased with
-- the tenant by `tenant drop` (RejectedCommandRows).
CREATE TABLE IF NOT EXISTS cartgraph_rejected_commands (
    tenant_id       TEXT        NOT NULL,
    stream_id       TEXT        NOT NULL,
    idempotency_key TEXT        NOT NULL,
    fingerprint     TEXT        NOT NULL,
    error           TEXT        NOT NULL,
    rejected_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, stream_id, idempotency_key)
);
