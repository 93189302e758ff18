using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;

namespace CartGraph.Benchmarks.Suites;

/// <summary>
/// What PostgreSQL itself can do on this machine: a minimal transaction that moves one stream row and
/// inserts one message row, in one statement and one round trip, driven by pgbench (a C client) so that
/// no .NET cost is counted. Every append figure is read as a fraction of this.
/// </summary>
internal static partial class RawLimit
{
    private const int Streams = 1000;

    private const string Script = """
        \set s random(1, 1000)
        WITH moved AS (UPDATE emt_streams SET stream_position = stream_position + 1 WHERE partition = :tenant AND stream_id = 'raw-' || :s AND is_archived = FALSE RETURNING stream_id, stream_position) INSERT INTO emt_messages (stream_id, stream_position, partition, message_data, message_metadata, message_schema_version, message_type, message_id, transaction_id) SELECT stream_id, stream_position, :tenant, '{"item": {"sku": "SKU-1", "name": "Item 1", "quantity": 1, "unitPrice": 9.99}}', '{}', '1', 'ItemAddedToCart', gen_random_uuid()::text, pg_current_xact_id() FROM moved;
        """;

    /// <summary>Seeds the streams that the raw transaction moves; returns a meter to call once per round.</summary>
    public static async Task<Func<int, TimeSpan, Task<double>>> PrepareAsync(BenchContext context)
    {
        var tenant = await context.NewTenantAsync("raw");
        await using (var seed = context.Database.Commands.CreateCommand("""
            INSERT INTO emt_streams (stream_id, stream_position, partition, stream_type, stream_metadata)
            SELECT 'raw-' || n, 0, $1, 'cart', '{}' FROM generate_series(1, $2) n
            """))
        {
            seed.Parameters.Add(new NpgsqlParameter { Value = tenant.Value });
            seed.Parameters.Add(new NpgsqlParameter { Value = Streams });
            await seed.ExecuteNonQueryAsync();
        }

        var pgbench = FindPgbench(context.PostgresBinDirectory)
            ?? throw new InvalidOperationException(
                "pgbench not found: install postgresql-client (apt-get install postgresql-client) to measure the raw limit.");
        var script = Path.Combine(Path.GetTempPath(), $"cartgraph-raw-{Guid.NewGuid():N}.sql");
        await File.WriteAllTextAsync(script, Script);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => File.Delete(script);
        return (clients, duration) => Pgbench(pgbench, context.ConnectionString, script, tenant.Value, clients, duration);
    }

    private static async Task<double> Pgbench(
        string pgbench, string connectionString, string script, string tenant, int clients, TimeSpan duration)
    {
        var cs = new NpgsqlConnectionStringBuilder(connectionString);
        var start = new ProcessStartInfo(pgbench)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            ArgumentList =
            {
                "-n", "-M", "prepared", "-c", clients.ToString(CultureInfo.InvariantCulture), "-j", Math.Min(clients, 2).ToString(CultureInfo.InvariantCulture),
                "-T", ((int)Math.Ceiling(duration.TotalSeconds)).ToString(CultureInfo.InvariantCulture), "-D", $"tenant={tenant}", "-f", script,
                "-h", cs.Host!, "-p", cs.Port.ToString(CultureInfo.InvariantCulture), "-U", cs.Username ?? "postgres", cs.Database!,
            },
        };
        if (cs.Password is { } password) start.Environment["PGPASSWORD"] = password;
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var match = Tps().Match(output);
        if (process.ExitCode != 0 || !match.Success)
            throw new InvalidOperationException($"pgbench failed ({process.ExitCode}): {errors}{output}");
        return double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    private static string? FindPgbench(string? binDirectory) =>
        new[] { binDirectory is null ? null : Path.Combine(binDirectory, "pgbench") }
            .Concat((Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(dir => Path.Combine(dir, "pgbench")))
            .FirstOrDefault(path => path is not null && File.Exists(path));

    [GeneratedRegex(@"tps = ([0-9.]+) \(without initial connection time\)")]
    private static partial Regex Tps();
}
