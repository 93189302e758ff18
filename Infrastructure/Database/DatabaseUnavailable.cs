using Npgsql;

namespace CartGraph.Infrastructure.Database;

/// <summary>Failures that mean the database cannot be reached for now (down, restarting, pool exhausted), not a fault.</summary>
public static class DatabaseUnavailable
{
    /// <summary>Whether <paramref name="exception"/>, or one it wraps, is a failure Npgsql calls transient.</summary>
    public static bool Is(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
            if (e is NpgsqlException { IsTransient: true }) return true;
        return false;
    }
}
