using System.Net;
using Microsoft.AspNetCore.Http;
using static CartGraph.Tests.Api.Transport.HttpExchange;

namespace CartGraph.Tests.Api.Transport;

/// <summary>A browser's GET goes to the IDE delegate when one is set, and is answered as GraphQL otherwise.</summary>
public sealed class IdeHandoffSpecs
{
    const string Browser = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8";

    static Task<TransportServer> WithIdeAsync() => TransportServer.StartAsync(options => options with
    {
        ServeIde = async http =>
        {
            http.Response.ContentType = "text/html";
            await http.Response.WriteAsync("<html>IDE</html>");
        },
    });

    [Fact]
    public async Task A_browser_GET_is_handed_to_the_IDE()
    {
        await using var server = await WithIdeAsync();

        var answer = await GetAsync(server, "", Browser);

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal("text/html", answer.MediaType);
        Assert.Equal("<html>IDE</html>", answer.Text);
    }

    [Theory]
    [InlineData(GraphQLResponse)]
    [InlineData("application/json, text/html;q=0.5")]
    [InlineData("*/*")]
    [InlineData(null)]
    public async Task A_GET_preferring_a_GraphQL_type_is_answered_as_GraphQL_even_with_an_IDE(string? accept)
    {
        await using var server = await WithIdeAsync();

        var answer = await GetAsync(server, Query("{ hello }"), accept);

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal("Hello, world!", answer.Data.GetProperty("hello").GetString());
    }

    [Fact]
    public async Task A_browser_POST_never_goes_to_the_IDE()
    {
        await using var server = await WithIdeAsync();

        var answer = await PostAsync(server, """{"query":"{ hello }"}""", Browser);

        Assert.Equal(GraphQLResponse, answer.MediaType);
        Assert.Equal(HttpStatusCode.OK, answer.Status);
    }

    [Fact]
    public async Task Without_an_IDE_a_browser_GET_is_answered_as_GraphQL()
    {
        await using var server = await TransportServer.StartAsync();

        var browser = await GetAsync(server, "", Browser);
        var htmlOnly = await GetAsync(server, Query("{ hello }"), "text/html");

        Assert.Equal(HttpStatusCode.BadRequest, browser.Status); // no query: GraphQL's answer, not a page
        Assert.Equal(GraphQLResponse, browser.MediaType);
        Assert.Equal(HttpStatusCode.NotAcceptable, htmlOnly.Status);
    }
}
