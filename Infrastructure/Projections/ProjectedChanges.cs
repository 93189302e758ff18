using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using CartGraph.Domain.Values;

namespace CartGraph.Infrastructure.Projections;

/// <summary>
/// What one batch changed, as API instances learn it over LISTEN/NOTIFY on <see cref="Channel"/>.
/// </summary>
public sealed partial record ProjectedChanges(
    [property: JsonPropertyName("projection")] string Projection,
    [property: JsonPropertyName("tenant")] string Tenant,
    [property: JsonPropertyName("changes")] IReadOnlyList<ProjectedChangeEntry> Changes)
{
    public const string Channel = "cartgraph_projected";

    /// <summary>PostgreSQL refuses payloads of 8 000 bytes or more; stay well under.</summary>
    public const int MaxPayloadBytes = 7_000;

    /// <summary>The payloads that announce these changes, each under <see cref="MaxPayloadBytes"/>.</summary>
    public static IEnumerable<string> Payloads(IProjection projection, TenantId tenant, IReadOnlyList<ProjectedChange> changes)
    {
        var chunk = new List<ProjectedChangeEntry>();
        var size = 64 + projection.Name.Length + tenant.Value.Length;
        foreach (var change in changes)
        {
            var entry = new ProjectedChangeEntry(change.StreamId, change.Version, change.Removed ? true : null);
            var entrySize = Encoding.UTF8.GetByteCount(JsonSerializer.Serialize(entry, Json.Default.ProjectedChangeEntry)) + 1;
            if (chunk.Count > 0 && size + entrySize > MaxPayloadBytes)
            {
                yield return Serialize(new ProjectedChanges(projection.Name, tenant.Value, chunk));
                chunk = [];
                size = 64 + projection.Name.Length + tenant.Value.Length;
            }
            chunk.Add(entry);
            size += entrySize;
        }
        if (chunk.Count > 0) yield return Serialize(new ProjectedChanges(projection.Name, tenant.Value, chunk));
    }

    /// <summary>The NOTIFY statements that announce these changes; inside a transaction they go out at its commit.</summary>
    public static IEnumerable<Npgsql.NpgsqlBatchCommand> Notifications(IProjection projection, TenantId tenant, IReadOnlyList<ProjectedChange> changes) =>
        Payloads(projection, tenant, changes).Select(payload => new Npgsql.NpgsqlBatchCommand("SELECT pg_notify($1, $2)")
        {
            Parameters =
            {
                new Npgsql.NpgsqlParameter<string> { TypedValue = Channel },
                new Npgsql.NpgsqlParameter<string> { TypedValue = payload },
            },
        });

    public static ProjectedChanges? Parse(string payload)
    {
        try
        {
            return JsonSerializer.Deserialize(payload, Json.Default.ProjectedChanges);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Serialize(ProjectedChanges changes) => JsonSerializer.Serialize(changes, Json.Default.ProjectedChanges);

    [JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
    [JsonSerializable(typeof(ProjectedChanges))]
    private sealed partial class Json : JsonSerializerContext;
}

/// <summary>One stream's change in a notification: its id, its new version, and whether its row is gone.</summary>
public sealed record ProjectedChangeEntry(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("version")] long Version,
    [property: JsonPropertyName("removed")] bool? Removed = null);
