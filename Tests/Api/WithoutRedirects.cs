namespace CartGraph.Tests.Api;

/// <summary>A browser's plain GET as the server answers it: redirects shown, not followed; the body read.</summary>
public static class WithoutRedirects
{
    public static async Task<HttpResponseMessage> GetAsync(Uri server, string path, string? accept = null)
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = server, Timeout = TimeSpan.FromSeconds(30) };
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (accept is not null) request.Headers.TryAddWithoutValidation("Accept", accept);
        var response = await http.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }
}
