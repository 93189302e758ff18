using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;

namespace CartGraph.Benchmarks.Suites;

/// <summary>The two raw meters: each takes a number of concurrent clients and of transactions per client, and gives transactions/s.</summary>
internal sealed record RawMeters(Func<int, int, Task<double>> Pgbench, Func<int, int, Task<double>> Npgsql);

/// <summary>
/// What PostgreSQL itself can do on this machine: a minimal transaction that moves one stream row and
/// inserts one message row, in one statement and one round trip. Driven by pgbench (a C client), so that no
/// .NET cost is counted, and by Npgsql with the same statement, to tell the driver's share from ours.
/// </summary>
internal static partial class RawLimit
{
    private const int Streams = 1000;

    private const string Script = """
        \set s random(1, 1000)
        WITH moved AS (UPDATE emt_streams SET stream_position = stream_position + 1 WHERE partition = :tenant AND stream_id = 'raw-' || :s AND is_archived = FALSE RETURNING stream_id, stream_position) INSERT INTO emt_messages (stream_id, stream_position, partition, message_data, message_metadata, message_schema_version, message_type, message_id, transaction_id) SELECT stream_id, stream_position, :tenant, '{"item": {"sku": "SKU-1", "name": "Item 1", "quantity": 1, "unitPrice": 9.99}}', '{}', '1', 'ItemAddedToCart', gen_random_uuid()::text, pg_current_xact_id() FROM moved;
        """;

    private const string Statement = """
        WITH moved AS (UPDATE emt_streams SET stream_position = stream_position + 1 WHERE partition = $1 AND stream_id = 'raw-' || $2 AND is_archived = FALSE RETURNING stream_id, stream_position) INSERT INTO emt_messages (stream_id, stream_position, partition, message_data, message_metadata, message_schema_version, message_type, message_id, transaction_id) SELECT stream_id, stream_position, $1, '{"item": {"sku": "SKU-1", "name": "Item 1", "quantity": 1, "unitPrice": 9.99}}', '{}', '1', 'ItemAddedToCart', gen_random_uuid()::text, pg_current_xact_id() FROM moved
        """;

    /// <summary>Seeds the streams that the raw transaction moves; returns the meters to call once per round.</summary>
    public static async Task<RawMeters> PrepareAsync(BenchContext context)
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
        return new RawMeters(
            (clients, transactions) => Pgbench(pgbench, context.ConnectionString, script, tenant.Value, clients, transactions),
            (clients, transactions) => Npgsql(context, tenant.Value, clients, transactions));
    }

    private static async Task<double> Npgsql(BenchContext context, string tenant, int clients, int transactions)
    {
        var clock = Stopwatch.StartNew();
        var counts = await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => Task.Run(async () =>
        {
            var done = 0;
            while (done < transactions)
            {
                await using var command = context.Database.Commands.CreateCommand(Statement);
                command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = tenant });
                command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = (1 + Random.Shared.Next(Streams)).ToString(CultureInfo.InvariantCulture) });
                await command.ExecuteNonQueryAsync();
                done++;
            }
            return done;
        })));
        return counts.Sum() / clock.Elapsed.TotalSeconds;
    }

    private static async Task<double> Pgbench(
        string pgbench, string connectionString, string script, string tenant, int clients, int transactions)
    {
        var cs = new NpgsqlConnectionStringBuilder(connectionString);
        var start = new ProcessStartInfo(pgbench)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            ArgumentList =
            {
                "-n", "-M", "prepared", "-c", clients.ToString(CultureInfo.InvariantCulture), "-j", Math.Min(clients, 2).ToString(CultureInfo.InvariantCulture),
                "-t", transactions.ToString(CultureInfo.InvariantCulture), "-D", $"tenant={tenant}", "-f", script,
                "-h", cs.Host!, "-p", cs.Port.ToString(CultureInfo.InvariantCulture), "-U", cs.Username ?? "postgres", cs.Database!,
            },
        };
        if (cs.Password is { } password) start.Environment["PGPASSWORD"] = password;
        // The same plan caching as the store's own connections (PostgresDatabase): the raw limit gets every advantage.
        start.Environment["PGOPTIONS"] = "-c plan_cache_mode=force_generic_plan";
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
