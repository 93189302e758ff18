using Npgsql;

namespace CartGraph.Tests.Emmett;

/// <summary>An Npgsql connection string as the URL that node-postgres (under Emmett's dumbo) takes.</summary>
internal static class PostgresUrl
{
    public static string From(string connectionString)
    {
        var settings = new NpgsqlConnectionStringBuilder(connectionString);
        var host = settings.Host ?? "localhost";
        var hostPart = host.Contains(':') ? $"[{host}]" : host;
        var user = Uri.EscapeDataString(settings.Username ?? "");
        var password = settings.Password is { } p ? ":" + Uri.EscapeDataString(p) : "";
        var ssl = settings.SslMode is SslMode.Require or SslMode.VerifyCA or SslMode.VerifyFull ? "?sslmode=require" : "";
        return $"postgresql://{user}{password}@{hostPart}:{settings.Port}/{Uri.EscapeDataString(settings.Database ?? "")}{ssl}";
    }
}
