using CartGraph.Api.Security;

namespace CartGraph.Tests.Api.Security;

/// <summary>The signing key a Development instance generates once and keeps, for the server and the token verb alike.</summary>
public sealed class DevelopmentKeySpecs : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("cartgraph-key-").FullName;

    private string KeyFile => Path.Combine(directory, ".data", "signing-key");

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public async Task Processes_starting_together_all_keep_the_one_key_that_lands_in_the_file()
    {
        using var start = new Barrier(16);
        var keys = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(() =>
        {
            start.SignalAndWait();
            return SigningKeys.DevelopmentKey(KeyFile);
        })));

        Assert.Single(keys.Distinct());
        Assert.Equal(keys[0], (await File.ReadAllTextAsync(KeyFile)).Trim());
    }

    [Fact]
    public void The_key_file_is_readable_by_its_owner_only_and_nothing_else_is_left_beside_it()
    {
        SigningKeys.DevelopmentKey(KeyFile);

        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(KeyFile));
        Assert.Equal([KeyFile], Directory.GetFiles(Path.GetDirectoryName(KeyFile)!));
    }

    [Fact]
    public void A_kept_key_is_read_back_as_it_is()
    {
        var first = SigningKeys.DevelopmentKey(KeyFile);

        Assert.Equal(first, SigningKeys.DevelopmentKey(KeyFile));
    }
}
