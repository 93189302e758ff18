using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace CartGraph.Infrastructure.Tenants;

/// <summary>
/// One line of a tenant export (NDJSON): a header, then every stream, then every message in commit order. Positions,
/// transaction ids, types, schema versions, metadata, ids and times are the store's own; archived streams and their
/// messages are included and marked. NOTE: a storage contract like the events; changing it means a new version.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "record")]
[JsonDerivedType(typeof(Header), "header")]
[JsonDerivedType(typeof(Stream), "stream")]
[JsonDerivedType(typeof(Message), "message")]
public abstract record TenantRecord
{
    public const string FormatName = "cartgraph-tenant";
    public const int CurrentVersion = 1;

    private TenantRecord() { }

    /// <summary>The first line: what the file is, whose, and how many lines of each kind follow.</summary>
    public sealed record Header(string Format, int Version, string Tenant, DateTimeOffset ExportedAt, long Streams, long Messages)
        : TenantRecord;

    /// <summary>A stream's row: its position is its last message's.</summary>
    public sealed record Stream(string Id, string Type, long Position, JsonElement Metadata, bool Archived) : TenantRecord;

    /// <summary>
    /// A message. Its global position and transaction id say where it stood in the exporting store; an import keeps
    /// the order they give and takes new ones from the importing store.
    /// </summary>
    public sealed record Message(
        string StreamId,
        long StreamPosition,
        long GlobalPosition,
        ulong TransactionId,
        string Id,
        string Type,
        string SchemaVersion,
        string Kind,
        JsonElement Data,
        JsonElement Metadata,
        DateTimeOffset Created,
        bool Archived) : TenantRecord;

    /// <summary>
    /// camelCase, every constructor parameter required, nulls only where declared, one line per record; text as UTF-8,
    /// not \u-escaped (a file, never HTML).
    /// </summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        RespectRequiredConstructorParameters = true,
        RespectNullableAnnotations = true,
        AllowOutOfOrderMetadataProperties = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        WriteIndented = false,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
