using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace CartGraph.Infrastructure.Postgres;

/// <summary>
/// A PostgreSQL cluster run from the machine's own binaries, listening on 127.0.0.1 only, that admits only its owner:
/// every client gives the superuser's password (<c>scram-sha-256</c>), generated when the cluster is created and kept
/// in a 0600 <see cref="Postgres.PasswordFile"/> beside the data directory (see <see cref="OwnerAccess"/>).
/// </summary>
/// <remarks>
/// Two modes:
/// <list type="bullet">
/// <item><b>Persistent</b> (<see cref="StartPersistentAsync"/>): initdb only when the directory holds no
/// cluster yet; a server already running on that directory is reused. Rule: <b>we stop what we
/// started</b> — disposing stops the server only if this instance started it, so a reused server keeps
/// running for whoever started it.</item>
/// <item><b>Throwaway</b> (<see cref="StartThrowawayAsync"/>): a fresh temporary directory holding the data
/// directory and its password file, stopped and deleted on dispose.</item>
/// </list>
/// When we run as root, the files belong to and the processes run as the <c>postgres</c> OS user; every
/// parent of the data directory must then be traversable by that user.
/// </remarks>
public sealed class LocalPostgresCluster : IAsyncDisposable
{
    const string LogFileName = "server.log";

    readonly PostgresBinaries binaries;
    readonly ServerAccount account;
    readonly LocalPostgresOptions options;
    readonly ILogger logger;
    readonly OwnerAccess access;
    readonly bool throwaway;
    readonly SemaphoreSlim gate = new(1, 1);
    string? password;
    bool startedByUs;
    bool reachChecked;
    bool disposed;

    LocalPostgresCluster(string dataDirectory, bool throwaway, PostgresBinaries binaries, LocalPostgresOptions options, ILogger? logger)
    {
        DataDirectory = dataDirectory;
        this.throwaway = throwaway;
        this.binaries = binaries;
        this.options = options;
        this.logger = logger ?? NullLogger.Instance;
        account = ServerAccount.Detect();
        PasswordFile = PasswordFile.Beside(dataDirectory);
        access = new OwnerAccess(dataDirectory, PasswordFile, account, binaries, options.StartTimeout, this.logger);
    }

    public string DataDirectory { get; }
    public string LogFile => Path.Combine(DataDirectory, LogFileName);

    /// <summary>Where the superuser's password is kept, readable only by the OS user running this process.</summary>
    public PasswordFile PasswordFile { get; }

    /// <summary>Chosen at the first start and kept across <see cref="StopAsync"/>/<see cref="StartAsync"/>.</summary>
    public int Port { get; private set; }

    public bool IsRunning { get; private set; }

    /// <summary>With the password: hand it to Npgsql, never to a log (<see cref="RedactedConnectionString"/>).</summary>
    public string ConnectionString => ConnectionStringWith(password);

    /// <summary>The connection string without its password, and where the password is, for logs and messages.</summary>
    public string RedactedConnectionString => $"{ConnectionStringWith(null)} (password in {PasswordFile.Location})";

    /// <summary>Initializes <paramref name="dataDirectory"/> if needed, then reuses or starts its server.</summary>
    public static Task<LocalPostgresCluster> StartPersistentAsync(
        string dataDirectory, LocalPostgresOptions? options = null, ILogger? logger = null, CancellationToken ct = default) =>
        OpenAsync(new LocalPostgresCluster(
            Path.GetFullPath(dataDirectory), throwaway: false, PostgresBinaries.Locate(), options ?? LocalPostgresOptions.Default, logger), ct);

    /// <summary>A fresh cluster in a new temporary directory; dispose stops it and deletes the directory.</summary>
    public static Task<LocalPostgresCluster> StartThrowawayAsync(
        LocalPostgresOptions? options = null, ILogger? logger = null, CancellationToken ct = default)
    {
        var binaries = PostgresBinaries.Locate();
        var directory = Directory.CreateTempSubdirectory("cartgraph-pg-").FullName;
        // The postgres OS user (when we are root) passes through to the data directory; the password file stays ours.
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        return OpenAsync(new LocalPostgresCluster(
            Path.Combine(directory, "data"), throwaway: true, binaries, options ?? LocalPostgresOptions.Default, logger), ct);
    }

    /// <summary>A failure on the way stops what we started (a server that refused our password, say) and, for a throwaway, deletes it.</summary>
    static async Task<LocalPostgresCluster> OpenAsync(LocalPostgresCluster cluster, CancellationToken ct)
    {
        try
        {
            await cluster.InitializeIfNeededAsync(ct);
            if (!await cluster.TryReuseRunningAsync(ct)) await cluster.StartAsync(ct);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts the server (on the same port as before, if it ran before) and waits until it accepts connections.</summary>
    public async Task StartAsync(CancellationToken ct = default)
    {
        await gate.WaitAsync(ct);
        try
        {
            if (IsRunning) return;
            await EnsureReachableAsync(ct);
            password = await access.SecureStoppedAsync(ct);
            var freshPort = Port == 0;
            if (freshPort) Port = FreeLoopbackPort.Pick();
            // A freshly picked port can be taken before the server binds it: then pick another, twice at most.
            for (var attempt = 1; ; attempt++)
            {
                var logMark = ServerLog.Length(LogFile);
                ServerSettings.Write(DataDirectory, Port, options);
                var started = await RunAsync(binaries.PgCtl, ["start", "-D", DataDirectory, "-l", LogFile, "-w", "-t", Seconds(options.StartTimeout), "-s"], ct);
                if (started.Succeeded) break;
                var tail = ServerLog.TailSince(LogFile, logMark);
                if (freshPort && attempt < 3 && tail.Contains("could not bind", StringComparison.Ordinal))
                {
                    logger.LogWarning("Port {Port} was taken before PostgreSQL could bind it; trying another", Port);
                    Port = FreeLoopbackPort.Pick();
                    continue;
                }
                throw new LocalPostgresException($"PostgreSQL did not start in {DataDirectory} ({started.LastLine}). Last lines of {LogFile}:\n{tail}");
            }
            startedByUs = true;
            IsRunning = true;
            var version = await WaitUntilAcceptingAsync(ct);
            logger.LogInformation("PostgreSQL {Version} started in {DataDirectory}: {ConnectionString}", version, DataDirectory, RedactedConnectionString);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Stops the server: fast shutdown (rolls back open transactions), immediate if that fails.</summary>
    public async Task StopAsync(CancellationToken ct = default)
    {
        await gate.WaitAsync(ct);
        try
        {
            if (!IsRunning) return;
            var fast = await RunAsync(binaries.PgCtl, ["stop", "-D", DataDirectory, "-m", "fast", "-w", "-t", "30", "-s"], ct);
            if (!fast.Succeeded)
            {
                logger.LogWarning("pg_ctl stop -m fast failed ({Error}); trying -m immediate", fast.LastLine);
                var immediate = await RunAsync(binaries.PgCtl, ["stop", "-D", DataDirectory, "-m", "immediate", "-w", "-t", "30", "-s"], ct);
                if (!immediate.Succeeded && Postmaster.Read(DataDirectory) is { } postmaster && postmaster.IsAlive())
                {
                    logger.LogWarning("pg_ctl stop -m immediate failed ({Error}); killing postmaster {Pid}", immediate.LastLine, postmaster.Pid);
                    postmaster.Kill();
                }
            }
            IsRunning = false;
            startedByUs = false;
            logger.LogInformation("PostgreSQL in {DataDirectory} stopped", DataDirectory);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Stops the server if we started it; a throwaway cluster also loses its directory.</summary>
    public async ValueTask DisposeAsync()
    {
        if (disposed) return;
        disposed = true;
        try
        {
            if (startedByUs) await StopAsync();
            else if (IsRunning) logger.LogInformation("Leaving PostgreSQL in {DataDirectory} running: another process started it", DataDirectory);
        }
        finally
        {
            if (throwaway) DeleteThrowawayDirectory();
            gate.Dispose();
        }
    }

    async Task InitializeIfNeededAsync(CancellationToken ct)
    {
        if (File.Exists(Path.Combine(DataDirectory, "PG_VERSION"))) return;
        Directory.CreateDirectory(DataDirectory);
        await EnsureReachableAsync(ct);
        logger.LogInformation("Initializing a PostgreSQL cluster in {DataDirectory} with {Binaries}", DataDirectory, binaries.BinDirectory);
        // Admitting nobody until OwnerAccess has set the password and written pg_hba.conf, even if we are stopped between.
        List<string> arguments = ["-D", DataDirectory, "-U", PasswordFile.Superuser, "--auth=reject", "--encoding=UTF8", "--locale=C"];
        if (!options.Fsync) arguments.Add("--no-sync");
        var result = await RunAsync(binaries.InitDb, arguments, ct);
        if (!result.Succeeded)
            throw new LocalPostgresException($"initdb failed in {DataDirectory}: {result.LastLine}");
    }

    /// <summary>Persistent mode: attach to a live server on this directory instead of starting a second one.</summary>
    async Task<bool> TryReuseRunningAsync(CancellationToken ct)
    {
        if (Postmaster.Read(DataDirectory) is not { } postmaster) return false;
        if (!postmaster.IsAlive())
        {
            // A stale lock file whose pid now belongs to another process would make postgres refuse to start.
            logger.LogInformation("Removing stale {PidFile} (pid {Pid} is not a running postgres)", Postmaster.PidFile(DataDirectory), postmaster.Pid);
            File.Delete(Postmaster.PidFile(DataDirectory));
            return false;
        }
        Port = postmaster.Port;
        IsRunning = true;
        password = await access.SecureRunningAsync(ConnectionStringWith, ct);
        var version = await WaitUntilAcceptingAsync(ct);
        logger.LogInformation(
            "Reusing PostgreSQL {Version} already running in {DataDirectory} (pid {Pid}); it keeps running after we exit: {ConnectionString}",
            version, DataDirectory, postmaster.Pid, RedactedConnectionString);
        return true;
    }

    async Task<string> WaitUntilAcceptingAsync(CancellationToken ct)
    {
        try
        {
            return await ConnectionProbe.WaitUntilAcceptingAsync(ConnectionString, options.StartTimeout, ct)
                ?? throw new LocalPostgresException(
                    $"PostgreSQL in {DataDirectory} does not accept connections on 127.0.0.1:{Port} after {options.StartTimeout.TotalSeconds:0} s. "
                    + $"Last lines of {LogFile}:\n{ServerLog.TailSince(LogFile, 0)}");
        }
        catch (PostgresException e) when (ConnectionProbe.IsRefusedLogin(e))
        {
            throw new LocalPostgresException(
                $"PostgreSQL in {DataDirectory} refuses the password kept in {PasswordFile.Location} ({e.MessageText}). If the superuser's "
                + $"password was changed, write the new one there; or delete the file while the server is stopped: the next start sets a new one.", e);
        }
    }

    /// <summary>As root: hand the directory to the postgres user and check it can get there.</summary>
    async Task EnsureReachableAsync(CancellationToken ct)
    {
        if (account.SwitchTo is not { } user || reachChecked) return;
        if (!File.Exists(Path.Combine(DataDirectory, "PG_VERSION")))
        {
            var chown = await ServerCommand.RunAsync(ServerAccount.Current, "chown", [user + ":", DataDirectory], options.StartTimeout, ct);
            if (!chown.Succeeded) throw new LocalPostgresException($"chown {user}: {DataDirectory} failed: {chown.LastLine}");
        }
        var reach = await RunAsync("test", ["-w", DataDirectory], ct);
        if (!reach.Succeeded)
            throw new LocalPostgresException(
                $"The '{user}' OS user cannot reach {DataDirectory}: every parent directory must be traversable by it (chmod o+x), "
                + "or use a data directory elsewhere, or set ConnectionStrings__EventStore");
        reachChecked = true;
    }

    Task<CommandResult> RunAsync(string program, IEnumerable<string> arguments, CancellationToken ct) =>
        ServerCommand.RunAsync(account, program, arguments, options.StartTimeout + TimeSpan.FromSeconds(10), ct);

    /// <summary>The temporary directory holding the data directory and its password file.</summary>
    void DeleteThrowawayDirectory()
    {
        try
        {
            var directory = Path.GetDirectoryName(DataDirectory)!;
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            logger.LogWarning(e, "Could not delete the throwaway cluster directory {DataDirectory}", DataDirectory);
        }
    }

    string ConnectionStringWith(string? withPassword) =>
        new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1", Port = Port, Username = PasswordFile.Superuser, Password = withPassword, Database = "postgres",
        }.ConnectionString;

    static string Seconds(TimeSpan t) => ((int)Math.Ceiling(t.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
}
