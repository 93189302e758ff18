using Npgsql;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace CartGraph.Tests;

/// <summary>
/// A fresh database on the shared test server for one test class (<c>IClassFixture&lt;TestDatabase&gt;</c>),
/// dropped when the class is done.
/// </summary>
public sealed class TestDatabase(IMessageSink diagnostics) : IAsyncLifetime
{
    static int announced;
    NpgsqlDataSource? dataSource;
    TestServer? server;

    public string Name { get; } = $"test_{Guid.NewGuid():N}";
    public string ConnectionString { get; private set; } = "";
    public NpgsqlDataSource DataSource => dataSource ?? throw new InvalidOperationException("TestDatabase is not initialized yet");
    public TestServer Server => server ?? throw new InvalidOperationException("TestDatabase is not initialized yet");

    public async Task InitializeAsync()
    {
        server = await SharedTestServer.GetAsync();
        if (Interlocked.Exchange(ref announced, 1) == 0) diagnostics.OnMessage(new DiagnosticMessage(server.Describe()));
        await ExecuteOnServerAsync($"CREATE DATABASE \"{Name}\"");
        ConnectionString = new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = Name }.ConnectionString;
        dataSource = NpgsqlDataSource.Create(ConnectionString);
    }

    public async Task DisposeAsync()
    {
        if (dataSource is not null) await dataSource.DisposeAsync();
        if (server is not null) await ExecuteOnServerAsync($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)");
    }

    async Task ExecuteOnServerAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(Server.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
