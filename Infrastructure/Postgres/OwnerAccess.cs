using Microsoft.Extensions.Logging;
using Npgsql;

namespace CartGraph.Infrastructure.Postgres;

/// <summary>
/// Brings a local cluster to "only its owner gets in": the superuser has the password kept in its
/// <see cref="PasswordFile"/>, and pg_hba.conf asks every client for it (<see cref="ClientAuthentication"/>). A new
/// cluster comes out of initdb admitting nobody; one of an earlier version, which trusted every local user, is
/// secured at its next start, its data untouched.
/// </summary>
/// <remarks>
/// Idempotent, and safe to interrupt at any step: the password is set first, the file that keeps it written next (when
/// it is new), pg_hba.conf last; a start that finds a step undone does it again. The server is sent a SCRAM verifier,
/// never the password.
/// </remarks>
public sealed class OwnerAccess(
    string dataDirectory, PasswordFile passwordFile, ServerAccount account, PostgresBinaries binaries, TimeSpan timeout, ILogger logger)
{
    /// <summary>A stopped cluster: a step left to do is done in single-user mode, which opens no port and no socket.</summary>
    public async Task<string> SecureStoppedAsync(CancellationToken ct)
    {
        if (Secured() is { } password) return password;
        var (candidate, isNew) = Candidate();
        var result = await ServerCommand.RunAsync(
            account, binaries.Postgres,
            ["--single", "-D", dataDirectory, "-c", "exit_on_error=on", "-c", "log_min_error_statement=panic", PasswordFile.Superuser],
            timeout, ct, input: AlterRole(candidate) + "\n");
        if (!result.Succeeded)
            throw new LocalPostgresException($"Could not set the superuser's password in {dataDirectory} (postgres --single): {result.LastLine}");
        Keep(candidate, isNew);
        return candidate;
    }

    /// <summary>
    /// A server another process started: a step left to do is done over a connection, which the rules it still runs
    /// with let in; the server then reloads them. <paramref name="connectionString"/> gives a connection string with a
    /// given password.
    /// </summary>
    public async Task<string> SecureRunningAsync(Func<string, string> connectionString, CancellationToken ct)
    {
        var password = Secured();
        if (password is null)
        {
            var (candidate, isNew) = Candidate();
            await using (var connection = new NpgsqlConnection(connectionString(candidate)))
            {
                await connection.OpenAsync(ct);
                await using var alter = new NpgsqlCommand(AlterRole(candidate), connection);
                await alter.ExecuteNonQueryAsync(ct);
            }
            Keep(candidate, isNew);
            password = candidate;
        }
        await UntilPasswordRequiredAsync(connectionString(PasswordFile.Generate()), ct);
        return password;
    }

    /// <summary>The password, when every step is done: the file holds one and pg_hba.conf is ours.</summary>
    string? Secured() => ClientAuthentication.IsCurrent(dataDirectory) ? passwordFile.Read() : null;

    /// <summary>The password already kept (an upgrade interrupted after keeping it), else a new one.</summary>
    (string Password, bool IsNew) Candidate()
    {
        if (ClientAuthentication.TrustsSomeone(dataDirectory))
            logger.LogWarning(
                "PostgreSQL in {DataDirectory} admits local users without a password (pg_hba.conf 'trust', from an earlier CartGraph); "
                + "securing it: from now on every client gives the password kept in {PasswordFile}", dataDirectory, passwordFile.Location);
        return passwordFile.Read() is { } kept ? (kept, false) : (PasswordFile.Generate(), true);
    }

    void Keep(string password, bool isNew)
    {
        if (isNew)
        {
            passwordFile.Write(password);
            logger.LogInformation("The superuser's password of {DataDirectory} is kept in {PasswordFile} (mode 0600)", dataDirectory, passwordFile.Location);
        }
        if (!ClientAuthentication.IsCurrent(dataDirectory)) ClientAuthentication.Write(dataDirectory);
    }

    /// <summary>
    /// Until a client with a wrong password is refused; one that gets in asks the server to reload its rules.
    /// NOTE: a wrong password rather than none, which would send Npgsql looking for one in ~/.pgpass.
    /// </summary>
    async Task UntilPasswordRequiredAsync(string withWrongPassword, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + timeout;
        var probe = new NpgsqlConnectionStringBuilder(withWrongPassword) { Pooling = false, Timeout = 2 };
        while (true)
        {
            try
            {
                await using var connection = new NpgsqlConnection(probe.ConnectionString);
                await connection.OpenAsync(ct);
                if (DateTime.UtcNow > deadline)
                    throw new LocalPostgresException($"PostgreSQL in {dataDirectory} still admits clients without a password after reloading its pg_hba.conf");
                await using var reload = new NpgsqlCommand("SELECT pg_reload_conf()", connection);
                await reload.ExecuteScalarAsync(ct);
            }
            catch (NpgsqlException)
            {
                return;
            }
            await Task.Delay(TimeSpan.FromMilliseconds(50), ct);
        }
    }

    // The verifier holds only base64, '$' and ':': nothing to escape in the literal.
    static string AlterRole(string password) => $"ALTER ROLE {PasswordFile.Superuser} PASSWORD '{ScramVerifier.For(password)}';";
}
