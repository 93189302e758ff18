using System.Data;
using CartGraph.Domain.Values;
using CartGraph.Infrastructure.Database;
using CartGraph.Infrastructure.EventStore;
using LanguageExt;

namespace CartGraph.Infrastructure.Tenants;

/// <summary>
/// Writes a tenant's streams and messages, archived ones included, as NDJSON (<see cref="TenantRecord"/>), from one
/// snapshot, while the service runs. The file appears only once complete (it is written aside, then moved).
/// </summary>
/// <remarks>
/// NOTE: a read-only transaction has no transaction id, so it holds no consumer back, however long it reads.
/// </remarks>
public sealed class TenantExport(PostgresDatabase database)
{
    public async Task<Either<TenantError, TenantRecord.Header>> ToFileAsync(
        TenantId tenant, string path, IProgress<TenantProgress>? progress = null, CancellationToken ct = default)
    {
        if (File.Exists(path)) return new TenantError.FileExists(path);
        await using var connection = await database.Dedicated.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);
        await using (var readOnly = new Npgsql.NpgsqlCommand("SET TRANSACTION READ ONLY", connection))
            await readOnly.ExecuteNonQueryAsync(ct);
        if (await TenantTables.ResolveAsync(connection, tenant, ct) is not { } tables) return new TenantError.UnknownTenant(tenant);
        var summary = await EventStore.EventStore.SummarizeTenantAsync(connection, tables, ct);
        var header = new TenantRecord.Header(
            TenantRecord.FormatName, TenantRecord.CurrentVersion, tenant.Value, DateTimeOffset.UtcNow, summary.Streams, summary.Messages);

        var partial = path + ".partial";
        try
        {
            await using (var file = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
            {
                await TenantFile.WriteAsync(file, header, ct);
                await foreach (var stream in EventStore.EventStore.ReadTenantStreamsAsync(connection, tables, ct))
                    await TenantFile.WriteAsync(file, stream, ct);
                var written = 0L;
                await foreach (var message in EventStore.EventStore.ReadTenantMessagesAsync(connection, tables, ct))
                {
                    await TenantFile.WriteAsync(file, message, ct);
                    if (++written % 500 == 0) progress?.Report(new TenantProgress("exporting", written, summary.Messages));
                }
                progress?.Report(new TenantProgress("exporting", written, summary.Messages));
            }
            File.Move(partial, path, overwrite: false);
        }
        catch
        {
            File.Delete(partial);
            throw;
        }
        return header;
    }
}
