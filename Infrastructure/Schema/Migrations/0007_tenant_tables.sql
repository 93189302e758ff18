-- Each tenant's own tables by name, the names CartGraph's statements use instead of the partitioned parents.
--
-- Why (docs/scaling.md): PostgreSQL 15 locks, when a generic plan starts, every partition the plan holds, and a plan
-- over a parent holds them all (2 relations per tenant; 6 006 at 3 000 tenants for a consumer's read), and planning it
-- opens them all (111 s at 3 000 tenants in a new connection, and again in every session after each onboarding, which
-- invalidates the parent). A statement that names the tenant's leaf tables locks and plans those alone.
--
-- Looked up by the candidate names of 0005 (cartgraph_partition_of), so the look-up takes the same time for any tenant
-- count; no row unless all of the tenant's tables are attached.
CREATE OR REPLACE FUNCTION cartgraph_tenant_tables(p_partition TEXT)
RETURNS TABLE (streams TEXT, active_streams TEXT, archived_streams TEXT,
               messages TEXT, active_messages TEXT, archived_messages TEXT, subscriptions TEXT)
LANGUAGE sql STABLE STRICT
AS $$
    WITH tenant AS (
        SELECT cartgraph_partition_of('emt_streams', p_partition) AS streams,
               cartgraph_partition_of('emt_messages', p_partition) AS messages,
               cartgraph_partition_of('emt_subscriptions', p_partition) AS subscriptions
    ), leaf AS (
        SELECT i.inhparent, c.relname, pg_get_expr(c.relpartbound, 0) AS bound
          FROM tenant, pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
         WHERE i.inhparent IN (to_regclass(quote_ident(tenant.streams)), to_regclass(quote_ident(tenant.messages)))
    )
    SELECT quote_ident(t.streams), quote_ident(sa.relname), quote_ident(sr.relname),
           quote_ident(t.messages), quote_ident(ma.relname), quote_ident(mr.relname), quote_ident(t.subscriptions)
      FROM tenant t
      JOIN leaf sa ON sa.inhparent = quote_ident(t.streams)::regclass AND sa.bound = 'FOR VALUES IN (false)'
      JOIN leaf sr ON sr.inhparent = quote_ident(t.streams)::regclass AND sr.bound = 'FOR VALUES IN (true)'
      JOIN leaf ma ON ma.inhparent = quote_ident(t.messages)::regclass AND ma.bound = 'FOR VALUES IN (false)'
      JOIN leaf mr ON mr.inhparent = quote_ident(t.messages)::regclass AND mr.bound = 'FOR VALUES IN (true)'
     WHERE t.subscriptions IS NOT NULL
$$;
