using System.Buffers;
using System.Diagnostics;
using CartGraph.Infrastructure.Diagnostics;
using System.Text;
using System.Text.Json;
using CartGraph.Domain.Values;
using LanguageExt;
using Microsoft.Extensions.Logging;
using Npgsql;
using static LanguageExt.Prelude;

namespace CartGraph.Infrastructure.EventStore;

public sealed partial class EventStore
{
    /// <summary>
    /// Appends messages to a stream in one transaction, if the stream is where <paramref name="expected"/> says.
    /// A tenant seen for the first time is provisioned first. The statement names the tenant's own tables.
    /// </summary>
    /// <param name="messages">
    /// Their ids, when given, are unique in the stream: an append whose ids are all there already appends nothing and
    /// answers the positions they got (<see cref="AppendResult.AlreadyAppended"/>), whatever <paramref name="expected"/>
    /// says and even if the stream was archived since; one whose ids are there only in part is refused.
    /// </param>
    /// <param name="context">Recorded in the metadata of every message that names no context of its own.</param>
    public async Task<Either<StreamError, AppendResult>> AppendAsync(
        TenantId tenant,
        string streamId,
        string streamType,
        IReadOnlyList<NewMessage> messages,
        ExpectedVersion expected,
        MessageContext? context = null,
        CancellationToken cancellationToken = default)
    {
        if (Validate(streamId, streamType, messages).Case is string problem)
            return Left<StreamError, AppendResult>(new StreamError.InvalidAppend(problem));

        var shared = MetadataJson(context ?? MessageContext.None);
        var metadata = messages.Select(m => m.Context is { } own ? MetadataJson(own) : shared).ToArray();
        using var activity = CartGraphTelemetry.Source.StartActivity("eventstore.append", ActivityKind.Client);
        activity?.SetTag("cartgraph.tenant", tenant.Value);
        activity?.SetTag("cartgraph.stream.type", streamType);
        activity?.SetTag("cartgraph.events", messages.Count);
        var started = Stopwatch.GetTimestamp();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var tables = await tenants.TablesAsync(tenant, cancellationToken) ?? await tenants.ProvisionAsync(tenant, cancellationToken);
                var result = await AppendOnceAsync(tables, streamId, streamType, messages, expected, metadata, cancellationToken);
                Record(result, messages.Count, streamType, Stopwatch.GetElapsedTime(started), activity);
                if (result.Case is AppendResult { AlreadyAppended: false }) Appended?.Invoke(tenant);
                return result;
            }
            catch (PostgresException e) when (TenantTables.AreGone(e) && attempt < 3)
            {
                // Dropped since we looked its tables up: written to again, it starts as a new, empty tenant.
                tenants.Forget(tenant);
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.SerializationFailure && attempt < 3)
            {
                // The stream row moved to the archived partition under us; the next attempt sees it there.
                logger.LogDebug("Append to {Stream} raced an archive; retrying", streamId);
            }
            catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.InvalidTextRepresentation
                                                  or "22032")
            {
                return Left<StreamError, AppendResult>(new StreamError.InvalidAppend(DescribeInvalidJson(messages)));
            }
        }
    }

    private async Task<Either<StreamError, AppendResult>> AppendOnceAsync(
        TenantTables tables, string streamId, string streamType, IReadOnlyList<NewMessage> messages,
        ExpectedVersion expected, IReadOnlyList<string> metadata, CancellationToken cancellationToken)
    {
        await using var connection = await database.Commands.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = AppendStatements.Create(connection, tables, streamId, streamType, messages, metadata, expected);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            if (await ReadAppendedAsync(reader, messages.Count, cancellationToken) is { } appended) return appended;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation && GivenIds(messages).Length > 0)
        {
            // A given id is in the stream already (idx_messages_stream_message_id): whatever the stream's version, the
            // append is answered by where its ids went.
            return await AlreadyAppendedAsync(connection, tables, streamId, messages, cancellationToken)
                   ?? throw new InvalidOperationException($"An append to '{streamId}' broke a unique index, yet none of its ids is there.", e);
        }

        if (await AlreadyAppendedAsync(connection, tables, streamId, messages, cancellationToken) is { } earlier) return earlier;
        var (actual, archived) = await StreamStateAsync(connection, tables, streamId, cancellationToken);
        return archived
            ? new StreamError.StreamArchived(streamId)
            : new StreamError.WrongExpectedVersion(streamId, expected, actual);
    }

    private static string[] GivenIds(IReadOnlyList<NewMessage> messages) =>
        messages.Where(m => m.MessageId is not null).Select(m => m.MessageId!).ToArray();

    /// <summary>
    /// When every message of the append has its id in the stream already (archived or not): the positions they got, an
    /// "already appended" result. Some of them only: the append is refused, since it cannot both have happened and not.
    /// None (or ids left to the store): null.
    /// </summary>
    private static async Task<Either<StreamError, AppendResult>?> AlreadyAppendedAsync(
        NpgsqlConnection connection, TenantTables tables, string streamId, IReadOnlyList<NewMessage> messages, CancellationToken cancellationToken)
    {
        var ids = GivenIds(messages);
        if (ids.Length == 0) return null;
        await using var command = new NpgsqlCommand(AppendStatements.MessagesById(tables), connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = streamId });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = ids });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var found = new List<(long Stream, long Global, ulong Transaction)>();
        while (await reader.ReadAsync(cancellationToken))
            found.Add((reader.GetInt64(0), reader.GetInt64(1), reader.GetFieldValue<ulong>(2)));
        if (found.Count == 0) return null;
        if (found.Count < messages.Count)
            return new StreamError.InvalidAppend(
                $"{found.Count} of the {messages.Count} message ids of this append are in stream '{streamId}' already, the others are not: nothing was appended.");
        return new AppendResult(found[^1].Stream, found.Select(f => f.Global).ToArray(), found[^1].Transaction, AlreadyAppended: true);
    }

    /// <summary>Why a conditional write found nothing to change: the stream's live position (0 when none), and whether it is archived.</summary>
    private static async Task<(long Position, bool Archived)> StreamStateAsync(
        NpgsqlConnection connection, TenantTables tables, string streamId, CancellationToken cancellationToken)
    {
        await using var state = new NpgsqlCommand(AppendStatements.StreamState(tables), connection);
        state.Parameters.Add(new NpgsqlParameter<string> { TypedValue = streamId });
        await using var reader = await state.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (reader.GetInt64(0), reader.GetBoolean(1));
    }

    private static void Record(Either<StreamError, AppendResult> result, int count, string streamType, TimeSpan elapsed, Activity? activity)
    {
        var type = new KeyValuePair<string, object?>("cartgraph.stream.type", streamType);
        CartGraphTelemetry.AppendDuration.Record(elapsed.TotalSeconds, type);
        if (result.Case is AppendResult { AlreadyAppended: true })
        {
            activity?.SetTag("cartgraph.already_appended", true);
            return;
        }
        if (result.IsRight)
        {
            CartGraphTelemetry.Appends.Add(1, type);
            CartGraphTelemetry.AppendedEvents.Add(count, type);
            return;
        }
        if (result.Case is StreamError.WrongExpectedVersion) CartGraphTelemetry.AppendConflicts.Add(1, type);
        activity?.SetTag("cartgraph.refused", result.Case?.GetType().Name);
    }

    /// <summary>The inserted rows, one per message, as an append result; null when the stream step refused.</summary>
    private static async Task<AppendResult?> ReadAppendedAsync(NpgsqlDataReader reader, int count, CancellationToken cancellationToken)
    {
        var positions = new (long Stream, long Global)[count];
        var transaction = 0UL;
        var read = 0;
        while (await reader.ReadAsync(cancellationToken))
        {
            positions[read++] = (reader.GetInt64(0), reader.GetInt64(1));
            transaction = reader.GetFieldValue<ulong>(2);
        }
        if (read == 0) return null;
        System.Array.Sort(positions);
        return new AppendResult(positions[^1].Stream, positions.Select(p => p.Global).ToArray(), transaction);
    }

    private static Option<string> Validate(string streamId, string streamType, IReadOnlyList<NewMessage> messages) =>
        StreamIds.Problem(streamId)
        | (string.IsNullOrWhiteSpace(streamType) ? Some("A stream type must not be empty.") : None)
        | (messages.Count == 0 ? Some("An append needs at least one message.") : None)
        | messages.Select((m, i) => string.IsNullOrWhiteSpace(m.Type) ? Some($"Message {i} has no type.") : None)
            .FirstOrDefault(p => p.IsSome);

    private static string DescribeInvalidJson(IReadOnlyList<NewMessage> messages)
    {
        for (var i = 0; i < messages.Count; i++)
        {
            try
            {
                using var _ = JsonDocument.Parse(messages[i].Data);
            }
            catch (JsonException)
            {
                return $"Message {i} ({messages[i].Type}) has data that is not valid JSON.";
            }
        }
        return "A message's data is not valid JSON.";
    }

    private static string MetadataJson(MessageContext context)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            if (context.CorrelationId is { } correlationId) writer.WriteString("correlationId", correlationId);
            if (context.CausationId is { } causationId) writer.WriteString("causationId", causationId);
            if (context.IdempotencyKey is { } key) writer.WriteString("idempotencyKey", key);
            if (context.InputFingerprint is { } fingerprint) writer.WriteString("inputFingerprint", fingerprint);
            if (context.CommandEvents is { } events) writer.WriteNumber("commandEvents", events);
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
