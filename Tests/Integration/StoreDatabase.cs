using CartGraph.Api.Carts;
using CartGraph.Api.Security;
using CartGraph.Domain.Values;
using CartGraph.Infrastructure.CommandHandling;
using CartGraph.Infrastructure.Database;
using CartGraph.Infrastructure.EventStore;
using CartGraph.Infrastructure.Projections;
using CartGraph.Infrastructure.ReadModels;
using CartGraph.Infrastructure.Schema;
using Npgsql;
using Xunit.Abstractions;

namespace CartGraph.Tests.Integration;

/// <summary>A fresh, migrated database per test class, with the event store, its shell and the carts' service wired up.</summary>
public sealed class StoreDatabase(IMessageSink diagnostics) : IAsyncLifetime
{
    private readonly TestDatabase database = new(diagnostics);
    private PostgresDatabase? postgres;
    private MutationRateLimiter? rates;

    public string ConnectionString => database.ConnectionString;
    public PostgresDatabase Postgres => postgres ?? throw new InvalidOperationException("Not initialized");
    public TenantPartitions Tenants { get; private set; } = null!;
    public Infrastructure.EventStore.EventStore Store { get; private set; } = null!;
    public CommandHandler Handler { get; private set; } = null!;

    /// <summary>The carts' service on <see cref="Handler"/>, archiving through the carts read model; no read cache.</summary>
    public CartService CartService { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await database.InitializeAsync();
        postgres = PostgresDatabase.Create(database.ConnectionString);
        await new SchemaMigrator(postgres).MigrateAsync();
        Tenants = new TenantPartitions(postgres);
        Store = new Infrastructure.EventStore.EventStore(postgres, Tenants);
        Handler = new CommandHandler(Store);
        rates = new MutationRateLimiter(new ApiLimits());
        CartService = new CartService(
            Handler, new StreamArchiver(Store, [new CartsProjection()]), new TenantAccess(new AuthOptions()), rates);
    }

    public async Task DisposeAsync()
    {
        rates?.Dispose();
        if (postgres is not null) await postgres.DisposeAsync();
        await database.DisposeAsync();
    }

    /// <summary>A tenant no other test of the class uses.</summary>
    public static TenantId NewTenant() => TenantId.Parse($"t{Guid.NewGuid():N}"[..20]);

    public async Task<T?> ScalarAsync<T>(string sql, params object[] parameters)
    {
        await using var command = Postgres.Commands.CreateCommand(sql);
        foreach (var p in parameters) command.Parameters.Add(new NpgsqlParameter { Value = p });
        var value = await command.ExecuteScalarAsync();
        return value is DBNull or null ? default : (T)value;
    }

    public async Task<List<object?[]>> RowsAsync(string sql, params object[] parameters)
    {
        await using var command = Postgres.Commands.CreateCommand(sql);
        foreach (var p in parameters) command.Parameters.Add(new NpgsqlParameter { Value = p });
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<object?[]>();
        while (await reader.ReadAsync())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++) row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            rows.Add(row);
        }
        return rows;
    }
}
