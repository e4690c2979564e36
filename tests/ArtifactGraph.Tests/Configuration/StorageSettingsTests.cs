using ArtifactGraph.Server.Configuration;

namespace ArtifactGraph.Tests.Configuration;

/// <summary><c>STORAGE_LOCATIONS</c> and each location's <c>STORAGE_&lt;NAME&gt;_*</c> settings, under Directus's names.</summary>
public sealed class StorageSettingsTests
{
    [Fact]
    public void Load_nothingSet_oneLocalLocationAtUploads()
    {
        var location = Assert.Single(EnvironmentSettings.Load().StorageLocations);

        Assert.Equal(new StorageLocation { Name = "local", Driver = StorageDriver.Local, Root = "./uploads" }, location);
    }

    [Fact]
    public void Load_localRoot_isTheLocalLocationsRoot()
    {
        var settings = EnvironmentSettings.Load(("STORAGE_LOCAL_ROOT", "/srv/files"));

        Assert.Equal("/srv/files", settings.StorageLocalRoot);
        Assert.Equal("/srv/files", Assert.Single(settings.StorageLocations).Root);
    }

    [Fact]
    public void Load_s3Location_readsEverySetting_andKeepsTheOrder()
    {
        var settings = EnvironmentSettings.Load(
            ("STORAGE_LOCATIONS", "s3, local"),
            ("STORAGE_S3_DRIVER", "s3"), ("STORAGE_S3_KEY", "id"), ("STORAGE_S3_SECRET", "secret"),
            ("STORAGE_S3_BUCKET", "files"), ("STORAGE_S3_ENDPOINT", "http://127.0.0.1:9000"),
            ("STORAGE_S3_REGION", "eu-west-1"), ("STORAGE_S3_FORCE_PATH_STYLE", "true"));

        Assert.Equal(["s3", "local"], settings.StorageLocations.Select(l => l.Name));
        Assert.Equal(
            new StorageLocation
            {
                Name = "s3", Driver = StorageDriver.S3, Key = "id", Secret = "secret", Bucket = "files",
                Endpoint = "http://127.0.0.1:9000", Region = "eu-west-1", ForcePathStyle = true,
            },
            settings.StorageLocations[0]);
    }

    [Fact]
    public void Load_secondLocalLocation_readsItsRoot()
    {
        var settings = EnvironmentSettings.Load(
            ("STORAGE_LOCATIONS", "local,archive"), ("STORAGE_ARCHIVE_DRIVER", "local"), ("STORAGE_ARCHIVE_ROOT", "/srv/archive"));

        Assert.Equal("/srv/archive", settings.StorageLocations[1].Root);
    }

    [Theory]
    [InlineData("STORAGE_S3_DRIVER", "gcs")]
    [InlineData("STORAGE_S3_BUCKET", null)]
    [InlineData("STORAGE_S3_ENDPOINT", "not a url")]
    [InlineData("STORAGE_S3_SECRET", null)]
    [InlineData("STORAGE_S3_FORCE_PATH_STYLE", "maybe")]
    public void Load_badS3Location_namesTheVariable(string variable, string? value)
    {
        var values = new Dictionary<string, string>
        {
            ["STORAGE_LOCATIONS"] = "s3",
            ["STORAGE_S3_DRIVER"] = "s3",
            ["STORAGE_S3_KEY"] = "id",
            ["STORAGE_S3_SECRET"] = "secret",
            ["STORAGE_S3_BUCKET"] = "files",
            ["STORAGE_S3_ENDPOINT"] = "http://127.0.0.1:9000",
        };
        if (value is null)
        {
            values.Remove(variable);
        }
        else
        {
            values[variable] = value;
        }

        var error = Assert.Throws<SettingsException>(() => EnvironmentSettings.Load(values.Select(v => (v.Key, v.Value)).ToArray()));

        Assert.Equal(variable, error.Variable);
    }

    [Theory]
    [InlineData("other", "STORAGE_OTHER_DRIVER")]
    [InlineData("local,local", "STORAGE_LOCATIONS")]
    [InlineData("../x", "STORAGE_LOCATIONS")]
    [InlineData(" , ", "STORAGE_LOCATIONS")]
    public void Load_badLocations_namesTheVariable(string locations, string variable)
    {
        var error = Assert.Throws<SettingsException>(() => EnvironmentSettings.Load(("STORAGE_LOCATIONS", locations)));

        Assert.Equal(variable, error.Variable);
    }

    [Fact]
    public void Load_secondLocalLocationWithoutRoot_isAnError()
    {
        var error = Assert.Throws<SettingsException>(() => EnvironmentSettings.Load(
            ("STORAGE_LOCATIONS", "local,archive"), ("STORAGE_ARCHIVE_DRIVER", "local")));

        Assert.Equal("STORAGE_ARCHIVE_ROOT", error.Variable);
    }
}
