using CartGraph.Tests.Api.EndToEnd;
using Npgsql;

namespace CartGraph.Tests.Api.Hosting;

/// <summary>The API keeps the sets of tenant tables staged ahead filled: at start, and after an onboarding took one.</summary>
public sealed class PartitionPoolHostingSpecs(ApiServer api) : IClassFixture<ApiServer>
{
    [Fact]
    public async Task The_api_fills_the_pool_at_start_and_again_after_a_new_tenants_first_cart_took_a_set()
    {
        Assert.Equal(2L, await Integration.Eventually.Until(PooledAsync, n => n == 2)); // Tenants:PartitionPool:Size of ApiServer
        var last = await ScalarAsync("SELECT max(id) FROM cartgraph_partition_pool");

        await new Shop(api.Http, $"pool-{Guid.NewGuid():N}"[..16]).Create("cart-1");

        // The set it took was replaced by a new one, made in the background.
        Assert.Equal(1L, await Integration.Eventually.Until(() => ScalarAsync("SELECT count(*) FROM cartgraph_partition_pool WHERE id > $1", last), n => n == 1));
        Assert.Equal(2L, await PooledAsync());
    }

    private Task<long> PooledAsync() => ScalarAsync("SELECT count(*) FROM cartgraph_partition_pool");

    private async Task<long> ScalarAsync(string sql, long? parameter = null)
    {
        await using var connection = new NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        if (parameter is { } value) command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = value });
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
