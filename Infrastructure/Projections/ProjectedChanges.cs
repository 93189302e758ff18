using System.Buffers;
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

    /// <summary>
    /// The payloads that announce these changes, each under <see cref="MaxPayloadBytes"/>. Each entry is serialized
    /// once: its bytes measure the chunk and are then written into it as they are.
    /// </summary>
    public static IEnumerable<string> Payloads(IProjection projection, TenantId tenant, IReadOnlyList<ProjectedChange> changes)
    {
        var chunk = new List<byte[]>();
        var size = 64 + projection.Name.Length + tenant.Value.Length;
        foreach (var change in changes)
        {
            var entry = JsonSerializer.SerializeToUtf8Bytes(
                new ProjectedChangeEntry(change.StreamId, change.Version, change.Removed ? true : null), Json.Default.ProjectedChangeEntry);
            if (chunk.Count > 0 && size + entry.Length + 1 > MaxPayloadBytes)
            {
                yield return Payload(projection.Name, tenant.Value, chunk);
                chunk = [];
                size = 64 + projection.Name.Length + tenant.Value.Length;
            }
            chunk.Add(entry);
            size += entry.Length + 1;
        }
        if (chunk.Count > 0) yield return Payload(projection.Name, tenant.Value, chunk);
    }

    /// <summary>The JSON of <see cref="ProjectedChanges"/> around entries already serialized.</summary>
    private static string Payload(string projection, string tenant, List<byte[]> entries)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("projection", projection);
            writer.WriteString("tenant", tenant);
            writer.WriteStartArray("changes");
            foreach (var entry in entries) writer.WriteRawValue(entry, skipInputValidation: true);
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
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

    [JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
    [JsonSerializable(typeof(ProjectedChanges))]
    private sealed partial class Json : JsonSerializerContext;
}

/// <summary>One stream's change in a notification: its id, its new version, and whether its row is gone.</summary>
public sealed record ProjectedChangeEntry(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("version")] long Version,
    [property: JsonPropertyName("removed")] bool? Removed = null);
