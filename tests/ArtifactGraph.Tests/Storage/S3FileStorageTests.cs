using System.Text;
using ArtifactGraph.Server.Configuration;
using ArtifactGraph.Server.Storage;

namespace ArtifactGraph.Tests.Storage;

/// <summary>The S3 driver against a real S3-compatible server (s3rver on loopback): save, open, replace and delete.</summary>
public sealed class S3FileStorageTests(S3rverProcess s3rver) : IClassFixture<S3rverProcess>
{
    private S3FileStorage Storage() => new(new StorageLocation
    {
        Name = "s3", Driver = StorageDriver.S3, Key = "S3RVER", Secret = "S3RVER", Bucket = S3rverProcess.Bucket,
        Endpoint = s3rver.Endpoint, Region = "us-east-1", ForcePathStyle = true,
    });

    [Fact]
    public async Task SaveOpenDelete_roundTripsTheBytes()
    {
        using var storage = Storage();
        var name = $"{Guid.NewGuid()}.txt";
        var bytes = Encoding.UTF8.GetBytes("bytes kept in S3");

        // A stream that cannot seek, as an upload's body is.
        await storage.SaveAsync(name, new NonSeekableStream(bytes), CancellationToken.None);
        Assert.Equal(bytes, await ReadAsync(storage, name));

        await storage.SaveAsync(name, new MemoryStream("replaced"u8.ToArray()), CancellationToken.None);
        Assert.Equal("replaced"u8.ToArray(), await ReadAsync(storage, name));

        await storage.DeleteAsync(name, CancellationToken.None);
        Assert.Null(await storage.OpenReadAsync(name, CancellationToken.None));
        await storage.DeleteAsync(name, CancellationToken.None);
    }

    [Fact]
    public async Task OpenRead_missingObject_isNull()
    {
        using var storage = Storage();

        Assert.Null(await storage.OpenReadAsync($"{Guid.NewGuid()}.png", CancellationToken.None));
    }

    [Theory]
    [InlineData("../escape.txt")]
    [InlineData("folder/file.txt")]
    public async Task Keys_thatAreNotPlainNames_areRejected(string name)
    {
        using var storage = Storage();

        await Assert.ThrowsAsync<ArgumentException>(() => storage.SaveAsync(name, new MemoryStream([1]), CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => storage.OpenReadAsync(name, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => storage.DeleteAsync(name, CancellationToken.None));
    }

    private static async Task<byte[]?> ReadAsync(IFileStorage storage, string name)
    {
        await using var stream = await storage.OpenReadAsync(name, CancellationToken.None);
        if (stream is null)
        {
            return null;
        }

        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }

    private sealed class NonSeekableStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
