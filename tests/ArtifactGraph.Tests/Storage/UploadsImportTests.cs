using ArtifactGraph.Data;
using ArtifactGraph.Data.Import;
using ArtifactGraph.Server.Storage;
using ArtifactGraph.Tests.Infrastructure;

namespace ArtifactGraph.Tests.Storage;

public sealed class UploadsImportTests
{
    private const string FileName = "cccccccc-0000-4000-8000-000000000001.txt";

    [Fact]
    public async Task Import_uploadsAlreadyInStorage_skipsIdenticalFiles()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseClient.Sqlite);
        Directory.CreateDirectory(db.Settings.StorageLocalRoot);
        File.Copy(Path.Combine(SharedPaths.Uploads, FileName), Path.Combine(db.Settings.StorageLocalRoot, FileName));

        await db.ImportSeedAsync();

        Assert.Equal(8, Directory.GetFiles(db.Settings.StorageLocalRoot).Length);
    }

    [Fact]
    public async Task Import_uploadConflictsWithStoredFile_failsAndKeepsNothing()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseClient.Sqlite);
        await db.ImportAsync(SharedPaths.Fixture("oracle-admin.json"));
        Directory.CreateDirectory(db.Settings.StorageLocalRoot);
        var stored = Path.Combine(db.Settings.StorageLocalRoot, FileName);
        await File.WriteAllTextAsync(stored, "other bytes");

        var error = await Assert.ThrowsAsync<ImportException>(() => db.ImportAsync(SharedPaths.SeedData, SharedPaths.Uploads));

        Assert.Contains(FileName, error.Message);
        Assert.Equal("other bytes", await File.ReadAllTextAsync(stored));
        Assert.Equal(0, await db.CountAsync("directus_files"));
        Assert.Single(Directory.GetFiles(db.Settings.StorageLocalRoot));
    }

    [Theory]
    [InlineData("../escape.txt")]
    [InlineData("sub/file.txt")]
    [InlineData("..")]
    [InlineData("")]
    public async Task LocalFileStorage_nameThatIsNotPlain_isRejected(string name)
    {
        var storage = new LocalFileStorage(Path.Combine(Path.GetTempPath(), "artifactgraph-tests", Guid.NewGuid().ToString("N")));

        await Assert.ThrowsAsync<ArgumentException>(() => storage.SaveAsync(name, new MemoryStream([1]), CancellationToken.None));
    }

    [Fact]
    public async Task LocalFileStorage_saveThenOpen_returnsTheBytes()
    {
        var root = Path.Combine(Path.GetTempPath(), "artifactgraph-tests", Guid.NewGuid().ToString("N"));
        var storage = new LocalFileStorage(root);
        try
        {
            await storage.SaveAsync("a.txt", new MemoryStream([1, 2, 3]), CancellationToken.None);

            await using var read = await storage.OpenReadAsync("a.txt", CancellationToken.None);
            var copy = new MemoryStream();
            await read!.CopyToAsync(copy);
            Assert.Equal([1, 2, 3], copy.ToArray());
            Assert.Null(await storage.OpenReadAsync("missing.txt", CancellationToken.None));
            Assert.Single(Directory.GetFiles(root));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
