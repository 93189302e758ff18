using Npgsql;
using Xunit.Abstractions;

namespace CartGraph.Tests.Integration.Postgres;

/// <summary>The shared test server and the per-class database run real SQL.</summary>
public sealed class TestDatabaseSpecs(TestDatabase database, ITestOutputHelper output) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task A_class_gets_its_own_database_that_stores_and_returns_rows()
    {
        output.WriteLine(database.Server.Describe());
        await using (var create = database.DataSource.CreateCommand(
            "CREATE TABLE smoke (id int PRIMARY KEY, name text NOT NULL); INSERT INTO smoke VALUES (1, 'één'), (2, 'two');"))
            await create.ExecuteNonQueryAsync();

        await using var select = database.DataSource.CreateCommand("SELECT current_database(), id, name FROM smoke ORDER BY id");
        await using var reader = await select.ExecuteReaderAsync();
        var rows = new List<(string Db, int Id, string Name)>();
        while (await reader.ReadAsync()) rows.Add((reader.GetString(0), reader.GetInt32(1), reader.GetString(2)));

        Assert.Equal([(database.Name, 1, "één"), (database.Name, 2, "two")], rows);
    }

    [Fact]
    public async Task The_server_is_PostgreSQL_15_or_later()
    {
        await using var command = database.DataSource.CreateCommand("SELECT current_setting('server_version_num')::int");
        var version = (int)(await command.ExecuteScalarAsync())!;
        Assert.True(version >= 150000, $"server_version_num {version} < 150000");
    }

    [Fact]
    public async Task The_database_is_dropped_when_the_class_is_done()
    {
        var other = new TestDatabase(new Xunit.Sdk.NullMessageSink());
        await other.InitializeAsync();
        await other.DisposeAsync();

        await using var connection = new NpgsqlConnection(database.Server.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM pg_database WHERE datname = $1", connection)
        {
            Parameters = { new() { Value = other.Name } },
        };
        Assert.Equal(0L, await command.ExecuteScalarAsync());
    }
}
