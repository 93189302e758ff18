using CartGraph.Domain.Values;
using Npgsql;

namespace CartGraph.Infrastructure.Projections;

/// <summary>Who processes a (projection, tenant): whoever holds its session advisory lock.</summary>
internal static class ProcessorOwnership
{
    /// <summary>Takes the lock on <paramref name="connection"/> unless another session holds it; held until released or the session ends.</summary>
    public static async Task<bool> TryAcquireAsync(
        NpgsqlConnection connection, IProjection projection, TenantId tenant, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock(hashtext($1), hashtext($2))", connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = projection.Name });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = tenant.Value });
        return await command.ExecuteScalarAsync(cancellationToken) is true;
    }

    public static async Task ReleaseAsync(NpgsqlConnection connection, IProjection projection, TenantId tenant, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT pg_advisory_unlock(hashtext($1), hashtext($2))", connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = projection.Name });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = tenant.Value });
        await command.ExecuteScalarAsync(cancellationToken);
    }
}
