-- What one PostgreSQL pays per tenant partition (docs/scaling.md). Run it against a SCRATCH database that CartGraph
-- has migrated; it onboards :tenants more tenants (named limits-1, limits-2, ...) through emt_add_partition:
--
--   createdb limits && ConnectionStrings__EventStore='Host=...;Database=limits;...' dotnet run --project Api -- migrate
--   psql -d limits -v tenants=1000 -f scripts/tenant-limits.sql
--
-- Needs a superuser (it reads its own backend's /proc status). Run it again with more tenants to see what grows.
\set ON_ERROR_STOP on
\set QUIET on
\pset footer off

SELECT count(*) AS relations_before FROM pg_class \gset
SELECT coalesce(sum(pg_total_relation_size(oid)), 0) AS catalog_before FROM pg_class WHERE relnamespace = 'pg_catalog'::regnamespace AND relkind = 'r' \gset
SELECT count(*) AS tenants_before FROM pg_inherits WHERE inhparent IN (SELECT inhrelid FROM pg_inherits WHERE inhparent = 'emt_messages'::regclass) \gset

-- Onboarding, one transaction per tenant as CartGraph provisions a tenant on its first append.
SET limits.tenants = :tenants;
CREATE TEMP TABLE onboarding (tenant int, ms float8);
DO $$
DECLARE
    v_first int := (SELECT count(*) FROM pg_inherits WHERE inhparent IN (SELECT inhrelid FROM pg_inherits WHERE inhparent = 'emt_messages'::regclass));
    v_started timestamptz;
BEGIN
    FOR i IN v_first .. v_first + current_setting('limits.tenants')::int - 1 LOOP
        v_started := clock_timestamp();
        PERFORM emt_add_partition('limits-' || i);
        INSERT INTO onboarding VALUES (i, extract(epoch FROM clock_timestamp() - v_started) * 1000);
        COMMIT;
    END LOOP;
END $$;

SELECT count(*) AS tenants FROM pg_inherits WHERE inhparent IN (SELECT inhrelid FROM pg_inherits WHERE inhparent = 'emt_messages'::regclass) \gset
\echo
\echo 'Catalog: what each tenant adds'
SELECT :tenants AS tenants,
       round((count(*) - :relations_before)::numeric / nullif(:tenants - :tenants_before, 0), 1) AS relations_per_tenant,
       round((sum(pg_total_relation_size(oid)) FILTER (WHERE relnamespace = 'pg_catalog'::regnamespace AND relkind = 'r')
              - :catalog_before) / nullif(:tenants - :tenants_before, 0) / 1024.0, 1) AS catalog_kb_per_tenant,
       pg_size_pretty(sum(pg_total_relation_size(oid)) FILTER (WHERE relnamespace = 'pg_catalog'::regnamespace AND relkind = 'r')) AS catalog_total,
       pg_size_pretty(pg_database_size(current_database())) AS database_total
  FROM pg_class;

\echo 'Onboarding time per tenant (ms), this run'
SELECT count(*) AS onboarded, round(percentile_cont(0.5) WITHIN GROUP (ORDER BY ms)::numeric, 1) AS p50,
       round(percentile_cont(0.99) WITHIN GROUP (ORDER BY ms)::numeric, 1) AS p99, round(max(ms)::numeric, 1) AS max
  FROM onboarding;

-- A consumer's read and an append's stream step, planned once per connection as CartGraph plans them
-- (PostgresDatabase: plan_cache_mode=force_generic_plan), then as plans made for the value (plan-time pruning).
PREPARE consumer_read(text) AS
    SELECT stream_id FROM emt_messages
     WHERE partition = $1 AND is_archived = FALSE AND (transaction_id, global_position) > ('0'::xid8, 0)
       AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())
     ORDER BY transaction_id, global_position LIMIT 100;
PREPARE stream_step(text) AS
    UPDATE emt_streams SET stream_position = stream_position + 1
     WHERE partition = $1 AND stream_id = 'none' AND is_archived = FALSE RETURNING stream_position;
CREATE TEMP TABLE measured (statement text, plan text, locks bigint, ms float8);

-- Each: the user relations it holds locks on by its end, and its time (ms) from its transaction's start.
SET plan_cache_mode = force_generic_plan;
BEGIN; SELECT clock_timestamp() AS t0 \gset
EXECUTE consumer_read('limits-1') \g /dev/null
SELECT count(*) AS locks, extract(epoch FROM clock_timestamp() - :'t0') * 1000 AS ms FROM pg_locks WHERE pid = pg_backend_pid() AND locktype = 'relation' AND relation >= 16384 \gset
COMMIT; INSERT INTO measured VALUES ('consumer read', 'generic, planning', :locks, :ms);
BEGIN; SELECT clock_timestamp() AS t0 \gset
EXECUTE consumer_read('limits-1') \g /dev/null
SELECT count(*) AS locks, extract(epoch FROM clock_timestamp() - :'t0') * 1000 AS ms FROM pg_locks WHERE pid = pg_backend_pid() AND locktype = 'relation' AND relation >= 16384 \gset
COMMIT; INSERT INTO measured VALUES ('consumer read', 'generic, cached', :locks, :ms);
SELECT emt_add_partition('limits-extra-' || count(*)) FROM pg_inherits WHERE inhparent IN (SELECT inhrelid FROM pg_inherits WHERE inhparent = 'emt_messages'::regclass) \g /dev/null
BEGIN; SELECT clock_timestamp() AS t0 \gset
EXECUTE consumer_read('limits-1') \g /dev/null
SELECT count(*) AS locks, extract(epoch FROM clock_timestamp() - :'t0') * 1000 AS ms FROM pg_locks WHERE pid = pg_backend_pid() AND locktype = 'relation' AND relation >= 16384 \gset
COMMIT; INSERT INTO measured VALUES ('consumer read', 'generic, after an onboarding', :locks, :ms);
BEGIN; SELECT clock_timestamp() AS t0 \gset
EXECUTE stream_step('limits-1') \g /dev/null
SELECT count(*) AS locks, extract(epoch FROM clock_timestamp() - :'t0') * 1000 AS ms FROM pg_locks WHERE pid = pg_backend_pid() AND locktype = 'relation' AND relation >= 16384 \gset
COMMIT; INSERT INTO measured VALUES ('append stream step', 'generic, planning', :locks, :ms);
BEGIN; SELECT clock_timestamp() AS t0 \gset
EXECUTE stream_step('limits-1') \g /dev/null
SELECT count(*) AS locks, extract(epoch FROM clock_timestamp() - :'t0') * 1000 AS ms FROM pg_locks WHERE pid = pg_backend_pid() AND locktype = 'relation' AND relation >= 16384 \gset
COMMIT; INSERT INTO measured VALUES ('append stream step', 'generic, cached', :locks, :ms);
SET plan_cache_mode = force_custom_plan;
BEGIN; SELECT clock_timestamp() AS t0 \gset
EXECUTE consumer_read('limits-1') \g /dev/null
SELECT count(*) AS locks, extract(epoch FROM clock_timestamp() - :'t0') * 1000 AS ms FROM pg_locks WHERE pid = pg_backend_pid() AND locktype = 'relation' AND relation >= 16384 \gset
COMMIT; INSERT INTO measured VALUES ('consumer read', 'custom', :locks, :ms);
BEGIN; SELECT clock_timestamp() AS t0 \gset
EXECUTE stream_step('limits-1') \g /dev/null
SELECT count(*) AS locks, extract(epoch FROM clock_timestamp() - :'t0') * 1000 AS ms FROM pg_locks WHERE pid = pg_backend_pid() AND locktype = 'relation' AND relation >= 16384 \gset
COMMIT; INSERT INTO measured VALUES ('append stream step', 'custom', :locks, :ms);
\echo 'Locks a statement holds, and its time, by plan'
SELECT statement, plan, locks, round(ms::numeric, 2) AS ms FROM measured;

\echo 'Memory of this backend once it has planned for every partition (relation cache, plans)'
SELECT pg_size_pretty(sum(total_bytes)) AS backend_contexts,
       pg_size_pretty(sum(total_bytes) FILTER (WHERE name = 'CacheMemoryContext' OR parent = 'CacheMemoryContext')) AS relation_cache,
       (SELECT substring(pg_read_file('/proc/' || pg_backend_pid() || '/status') FROM 'RssAnon:\s+(\d+ kB)')) AS private_rss
  FROM pg_backend_memory_contexts;

\echo 'The shared lock table: a statement that locks every partition fails past this many relations'
SELECT current_setting('max_locks_per_transaction')::int
       * (current_setting('max_connections')::int + current_setting('max_prepared_transactions')::int) AS lock_table_slots,
       current_setting('max_locks_per_transaction') AS max_locks_per_transaction,
       current_setting('max_connections') AS max_connections;
