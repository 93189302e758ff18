using System.Buffers;
using System.Text.Json;
using CartGraph.Api.Transport.Execution;
using CartGraph.Api.Transport.WebSockets;
using GraphQL;
using GraphQL.Types;

namespace CartGraph.Tests.Api.Transport;

/// <summary>A result shared by several subscribers is written once and framed per message: the same bytes as written alone.</summary>
public sealed class SharedResultSpecs
{
    private static readonly JsonSerializerOptions Json = new TransportJson().Options;

    [Theory]
    [InlineData("{ name list nested { a b } }")]
    [InlineData("{ name failing nested { a } }")]
    [InlineData("{ text: name, nothing }")]
    public async Task A_shared_result_is_written_as_the_result_it_shares_over_sockets_and_event_streams(string query)
    {
        var result = await ExecuteAsync(query);
        Assert.True(result is { Executed: true, Data: not null }, JsonSerializer.Serialize(result, Json));
        var shared = new SharedResult(result);

        Assert.Equal(Message(new ServerMessage.Next("1", result)), Message(new ServerMessage.Next("1", shared)));
        Assert.Equal(Message(new ServerMessage.Next("other", result)), Message(new ServerMessage.Next("other", shared)));
        Assert.Equal(JsonSerializer.SerializeToUtf8Bytes(result, Json), SharedResult.Utf8JsonOf(shared, Json).ToArray());
        // Written once: the second subscriber gets the bytes the first one made.
        Assert.True(shared.Utf8Json(Json).Span == shared.Utf8Json(Json).Span);
    }

    private static string Message(ServerMessage message)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer)) message.WriteTo(writer, Json);
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static Task<ExecutionResult> ExecuteAsync(string query)
    {
        var schema = Schema.For("""
            type Query { name: String list: [Int] failing: String nothing: String nested: Nested }
            type Nested { a: String b: Float }
            """, builder =>
        {
            builder.Types.For("Query").FieldFor("name").Resolver = new GraphQL.Resolvers.FuncFieldResolver<object?>(_ => "caf\u00e9 \"quoted\" <tag>");
            builder.Types.For("Query").FieldFor("list").Resolver = new GraphQL.Resolvers.FuncFieldResolver<object?>(_ => new[] { 1, 2, 3 });
            builder.Types.For("Query").FieldFor("failing").Resolver =
                new GraphQL.Resolvers.FuncFieldResolver<object?>(_ => throw new ExecutionError("no") { Code = "NOPE" });
            builder.Types.For("Query").FieldFor("nested").Resolver = new GraphQL.Resolvers.FuncFieldResolver<object?>(_ => new { });
            builder.Types.For("Nested").FieldFor("a").Resolver = new GraphQL.Resolvers.FuncFieldResolver<object?>(_ => "\u2028line");
            builder.Types.For("Nested").FieldFor("b").Resolver = new GraphQL.Resolvers.FuncFieldResolver<object?>(_ => 0.1 + 0.2);
        });
        return new DocumentExecuter().ExecuteAsync(new ExecutionOptions { Schema = schema, Query = query });
    }
}
