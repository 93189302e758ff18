-- The carts read model: a row per cart, projected from the cart streams by the carts-read-model processor.
-- items_json has the seed's shape: {"items": [{"sku", "name", "quantity", "unitPrice"}], "total": 40, "orderId": "..."}.

CREATE TABLE IF NOT EXISTS carts (
    tenant_id           TEXT        NOT NULL,
    cart_id             TEXT        NOT NULL,
    status              TEXT        NOT NULL CHECK (status IN ('active', 'checkedOut', 'cancelled')),
    currency            TEXT        NOT NULL,
    items_json          JSONB       NOT NULL,
    cancellation_reason TEXT,
    version             BIGINT      NOT NULL,
    created_at          TIMESTAMPTZ NOT NULL,
    updated_at          TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, cart_id)
);

-- Keyset pages of one tenant's carts by id, optionally of one status.
CREATE INDEX IF NOT EXISTS idx_carts_tenant_status ON carts (tenant_id, status, cart_id);
