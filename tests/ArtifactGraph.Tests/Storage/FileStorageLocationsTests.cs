using ArtifactGraph.Server.Configuration;
using ArtifactGraph.Server.Storage;

namespace ArtifactGraph.Tests.Storage;

/// <summary>Which storage a <c>directus_files.storage</c> name reaches.</summary>
public sealed class FileStorageLocationsTests
{
    [Fact]
    public void Create_defaultSettings_oneLocalLocationAtTheLocalRoot()
    {
        var locations = FileStorageLocations.Create(new ServerSettings { StorageLocalRoot = "/tmp/ag-uploads" });

        Assert.Equal("local", locations.Default);
        Assert.Equal(Path.GetFullPath("/tmp/ag-uploads"), Assert.IsType<LocalFileStorage>(locations.Find("local")).Root);
    }

    [Fact]
    public void Create_everyLocation_byItsDriver_andTheFirstIsTheDefault()
    {
        var locations = FileStorageLocations.Create(new ServerSettings
        {
            StorageLocations =
            [
                new StorageLocation { Name = "s3", Driver = StorageDriver.S3, Bucket = "files", Endpoint = "http://127.0.0.1:1", Key = "k", Secret = "s" },
                new StorageLocation { Name = "local", Root = "/tmp/ag-local" },
            ],
        });

        Assert.Equal("s3", locations.Default);
        Assert.IsType<S3FileStorage>(locations.Find("s3"));
        Assert.IsType<LocalFileStorage>(locations.Find("local"));
        Assert.Same(locations.Find("s3"), locations.DefaultStorage);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("LOCAL")]
    [InlineData("gcs")]
    public void Find_unknownLocation_isNull(string? name)
        => Assert.Null(FileStorageLocations.Create(new ServerSettings()).Find(name));
}
