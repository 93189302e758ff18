-- Blue/green rebuilds: a read model's rows carry the version of the projection that wrote them, so that a rebuild
-- builds the next version beside the one served, and queries read the version this table names, switched in one
-- transaction for every instance at once. Rows written before are version 1, as are their cursors in emt_subscriptions.
CREATE TABLE IF NOT EXISTS cartgraph_projection_versions (
    projection     TEXT NOT NULL,
    tenant_id      TEXT NOT NULL,
    served_version INT  NOT NULL,
    switched_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (projection, tenant_id)
);

-- Tenants already projected are served at version 1, where their cursors are.
INSERT INTO cartgraph_projection_versions (projection, tenant_id, served_version)
SELECT DISTINCT subscription_id, partition, version FROM emt_subscriptions
 WHERE subscription_id = 'carts-read-model'
ON CONFLICT DO NOTHING;

-- The carts read model, version 2: a version column in the key, and what lists sort by (item count and total).
ALTER TABLE carts ADD COLUMN IF NOT EXISTS projection_version INT NOT NULL DEFAULT 1;
ALTER TABLE carts ALTER COLUMN projection_version DROP DEFAULT;
ALTER TABLE carts ADD COLUMN IF NOT EXISTS item_count INT;
ALTER TABLE carts ADD COLUMN IF NOT EXISTS total NUMERIC;
ALTER TABLE carts DROP CONSTRAINT IF EXISTS carts_pkey;
ALTER TABLE carts ADD PRIMARY KEY (tenant_id, projection_version, cart_id);

-- Keyset pages: by id (the key, a status filtered on it), by last update, by total. Every index is written by every
-- projection batch and locked by it, so there is none for the status filter alone.
DROP INDEX IF EXISTS idx_carts_tenant_status;
CREATE INDEX IF NOT EXISTS idx_carts_version_updated ON carts (tenant_id, projection_version, updated_at DESC, cart_id);
CREATE INDEX IF NOT EXISTS idx_carts_version_total ON carts (tenant_id, projection_version, total DESC, cart_id);
