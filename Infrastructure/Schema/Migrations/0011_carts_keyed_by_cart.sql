-- Carts looked up by id through an index of their own. A version being built, like a tenant new since the last ANALYZE,
-- has no statistics: PostgreSQL then estimates a tenant's rows of one version at one, and with the version second in
-- every index it scanned all of them (and filtered the carts asked for) on each look-up, slower with every row written.
-- Look-ups compare the version outside any index (CartsTable.VersionIs) and find carts by (tenant_id, cart_id), as they
-- did before versions; pages keep reading their order's index of the version served.
CREATE INDEX IF NOT EXISTS idx_carts_by_cart ON carts (tenant_id, cart_id);
