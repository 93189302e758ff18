using System.Runtime.InteropServices;

namespace CartGraph.Infrastructure.Postgres;

/// <summary>The OS account that owns the cluster's files and runs initdb and pg_ctl.</summary>
/// <param name="SwitchTo">The user to switch to with runuser, or null to run as ourselves.</param>
/// <remarks>NOTE: PostgreSQL refuses to run as root, so a root process hands the cluster to the
/// <c>postgres</c> OS user (created by Debian's postgresql package).</remarks>
public sealed record ServerAccount(string? SwitchTo)
{
    public static ServerAccount Current { get; } = new((string?)null);
    public static ServerAccount Postgres { get; } = new("postgres");

    public static ServerAccount Detect() => IsRoot() ? Postgres : Current;

    static bool IsRoot() =>
        Environment.UserName == "root" || (!OperatingSystem.IsWindows() && NativeMethods.geteuid() == 0);

    static class NativeMethods
    {
        [DllImport("libc", SetLastError = false)]
        internal static extern uint geteuid();
    }
}
