using System.Text;

namespace CartGraph.Infrastructure.Postgres;

/// <summary>The server's log file, read back for error messages.</summary>
public static class ServerLog
{
    public static long Length(string path) => File.Exists(path) ? new FileInfo(path).Length : 0;

    /// <summary>The last lines written at or after <paramref name="offset"/>, or a note that there are none.</summary>
    public static string TailSince(string path, long offset, int maxLines = 20)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            stream.Seek(Math.Min(offset, stream.Length), SeekOrigin.Begin);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            var lines = reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
            return lines.Length == 0 ? $"({path} has nothing new)" : string.Join('\n', lines.TakeLast(maxLines));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"(cannot read {path}: {e.Message})";
        }
    }
}
