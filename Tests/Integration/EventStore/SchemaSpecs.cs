using CartGraph.Infrastructure.Schema;

namespace CartGraph.Tests.Integration.EventStore;

/// <summary>The catalog matches the seed's tables and Emmett's partition layout.</summary>
public sealed class SchemaSpecs(StoreDatabase db) : IClassFixture<StoreDatabase>
{
    private async Task<string[]> Columns(string table) =>
        (await db.RowsAsync("""
            SELECT column_name || ' ' || upper(data_type) || coalesce('(' || character_maximum_length || ')', '')
                   || ' ' || CASE is_nullable WHEN 'YES' THEN 'NULL' ELSE 'NOT NULL' END
                   || coalesce(' DEFAULT ' || column_default, '')
              FROM information_schema.columns WHERE table_name = $1 ORDER BY ordinal_position
            """, table)).Select(r => (string)r[0]!).ToArray();

    // The seed's key: a unique index on exactly its columns (INCLUDE columns aside), and no primary key constraint,
    // which every tenant's tables would repeat in pg_constraint, read whole by each onboarding's attaches (migration 0016).
    private async Task<string> Key(string table)
    {
        Assert.False(await db.ScalarAsync<bool>("SELECT EXISTS (SELECT FROM pg_index WHERE indrelid = $1::regclass AND indisprimary)", table));
        return (await db.ScalarAsync<string>("""
            SELECT string_agg(keys.columns, ' | ' ORDER BY keys.columns) FROM (
                SELECT string_agg(a.attname, ', ' ORDER BY k.ordinality) AS columns
                  FROM pg_index i
                  JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ordinality) ON k.ordinality <= i.indnkeyatts
                  JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
                 WHERE i.indrelid = $1::regclass AND i.indisunique
                 GROUP BY i.indexrelid) keys
            """, table))!;
    }

    [Fact]
    public async Task Streams_table_has_the_seeds_columns_and_key()
    {
        Assert.Equal(
        [
            "stream_id TEXT NOT NULL",
            "stream_position BIGINT NOT NULL",
            "partition TEXT NOT NULL DEFAULT 'emt:default'::text",
            "stream_type TEXT NOT NULL",
            "stream_metadata JSONB NOT NULL",
            "is_archived BOOLEAN NOT NULL DEFAULT false",
        ], await Columns("emt_streams"));
        Assert.Equal("stream_id, partition, is_archived", await Key("emt_streams"));
        Assert.Equal(
            "CREATE UNIQUE INDEX idx_streams_unique ON ONLY public.emt_streams USING btree (stream_id, partition, is_archived) INCLUDE (stream_position)",
            await db.ScalarAsync<string>("SELECT pg_get_indexdef('idx_streams_unique'::regclass)"));
    }

    [Fact]
    public async Task Messages_table_has_the_seeds_columns_and_key()
    {
        Assert.Equal(
        [
            "stream_id TEXT NOT NULL",
            "stream_position BIGINT NOT NULL",
            "partition TEXT NOT NULL DEFAULT 'emt:default'::text",
            "message_kind CHARACTER(1) NOT NULL DEFAULT 'E'::bpchar",
            "message_data JSONB NOT NULL",
            "message_metadata JSONB NOT NULL",
            "message_schema_version TEXT NOT NULL",
            "message_type TEXT NOT NULL",
            "message_id TEXT NOT NULL",
            "is_archived BOOLEAN NOT NULL DEFAULT false",
            "global_position BIGINT NULL DEFAULT nextval('emt_global_message_position'::regclass)",
            "transaction_id XID8 NOT NULL",
            "created TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now()",
        ], await Columns("emt_messages"));
        Assert.Equal("stream_id, message_id, partition, is_archived | stream_id, stream_position, partition, is_archived", await Key("emt_messages"));
    }

    [Fact]
    public async Task Subscriptions_table_has_the_seeds_columns_and_key()
    {
        Assert.Equal(
        [
            "subscription_id TEXT NOT NULL",
            "version INTEGER NOT NULL DEFAULT 1",
            "partition TEXT NOT NULL DEFAULT 'emt:default'::text",
            "last_processed_position BIGINT NOT NULL",
            "last_processed_transaction_id XID8 NOT NULL",
        ], await Columns("emt_subscriptions"));
        Assert.Equal("subscription_id, partition, version", await Key("emt_subscriptions"));
    }

    [Fact]
    public async Task Consumers_have_indexes_on_commit_order_and_global_position()
    {
        var indexes = (await db.RowsAsync(
                "SELECT pg_get_indexdef(indexrelid) FROM pg_index WHERE indrelid = 'emt_messages'::regclass"))
            .Select(r => (string)r[0]!).ToArray();
        Assert.Contains(indexes, i => i.EndsWith("USING btree (transaction_id, global_position)", StringComparison.Ordinal));
        Assert.Contains(indexes, i => i.EndsWith("USING btree (global_position)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Tables_are_hash_partitioned_into_64_buckets_then_list_partitioned_by_partition_then_by_is_archived()
    {
        var layout = (await db.RowsAsync("""
            SELECT c.relname, pg_get_partkeydef(c.oid), coalesce(pg_get_expr(c.relpartbound, c.oid), '')
              FROM pg_class c
             WHERE c.relname LIKE 'emt\_%' AND c.relkind IN ('p', 'r') AND c.relname LIKE '%emt_default%'
                OR c.relname IN ('emt_streams', 'emt_messages', 'emt_subscriptions')
                OR c.oid IN (SELECT inhparent FROM pg_inherits WHERE inhrelid::regclass::text LIKE '%emt\_default')
             ORDER BY c.relname
            """)).Select(r => $"{r[0]} | {r[1]} | {r[2]}").ToArray();
        // Emmett's default partition is a tenant like another, in the bucket its value hashes into.
        Assert.Equal(
        [
            "emt_messages | HASH (partition) | ",
            "emt_messages$11 | LIST (partition) | FOR VALUES WITH (modulus 64, remainder 11)",
            "emt_messages_emt_default | LIST (is_archived) | FOR VALUES IN ('emt:default')",
            "emt_messages_emt_default_active |  | FOR VALUES IN (false)",
            "emt_messages_emt_default_archived |  | FOR VALUES IN (true)",
            "emt_streams | HASH (partition) | ",
            "emt_streams$11 | LIST (partition) | FOR VALUES WITH (modulus 64, remainder 11)",
            "emt_streams_emt_default | LIST (is_archived) | FOR VALUES IN ('emt:default')",
            "emt_streams_emt_default_active |  | FOR VALUES IN (false)",
            "emt_streams_emt_default_archived |  | FOR VALUES IN (true)",
            "emt_subscriptions | HASH (partition) | ",
            "emt_subscriptions$11 | LIST (partition) | FOR VALUES WITH (modulus 64, remainder 11)",
            "emt_subscriptions_emt_default |  | FOR VALUES IN ('emt:default')",
        ], layout);
        Assert.Equal(3 * 64L, await db.ScalarAsync<long>(
            "SELECT count(*) FROM pg_inherits WHERE inhparent IN ('emt_streams'::regclass, 'emt_messages'::regclass, 'emt_subscriptions'::regclass)"));
    }

    [Fact]
    public async Task The_global_position_sequence_exists() =>
        Assert.Equal('S', await db.ScalarAsync<char>("SELECT relkind FROM pg_class WHERE relname = 'emt_global_message_position'"));

    [Fact]
    public async Task Migrating_again_and_concurrently_changes_nothing()
    {
        var runs = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => new SchemaMigrator(db.Postgres).MigrateAsync()));
        Assert.All(runs, applied => Assert.Empty(applied));
        Assert.Equal(Migration.Latest, await new SchemaMigrator(db.Postgres).CurrentVersionAsync());
        Assert.Equal((long)Migration.All.Count, await db.ScalarAsync<long>("SELECT count(*) FROM cartgraph_schema_migrations"));
    }

    [Fact]
    public void Migrations_are_numbered_without_gaps() =>
        Assert.Equal(Enumerable.Range(1, Migration.All.Count), Migration.All.Select(m => m.Version));
}
