namespace ArtifactGraph.Server.Configuration;

/// <summary>The drivers a storage location may use (<c>STORAGE_&lt;NAME&gt;_DRIVER</c>).</summary>
public enum StorageDriver
{
    Local,
    S3,
}

/// <summary>
/// One entry of <c>STORAGE_LOCATIONS</c>, configured by <c>STORAGE_&lt;NAME&gt;_*</c> as in Directus. A local location
/// uses <see cref="Root"/>; an S3 location uses the bucket, credentials, endpoint, region and path style.
/// </summary>
public sealed record StorageLocation
{
    /// <summary>The name rows carry in <c>directus_files.storage</c> (as written in <c>STORAGE_LOCATIONS</c>).</summary>
    public required string Name { get; init; }

    public StorageDriver Driver { get; init; } = StorageDriver.Local;

    /// <summary><c>STORAGE_&lt;NAME&gt;_ROOT</c>: the folder of a local location.</summary>
    public string Root { get; init; } = "./uploads";

    /// <summary><c>STORAGE_&lt;NAME&gt;_KEY</c>: the access key id (null: the SDK's default credentials).</summary>
    public string? Key { get; init; }

    /// <summary><c>STORAGE_&lt;NAME&gt;_SECRET</c>: the secret access key.</summary>
    public string? Secret { get; init; }

    /// <summary><c>STORAGE_&lt;NAME&gt;_BUCKET</c>: required for S3.</summary>
    public string? Bucket { get; init; }

    /// <summary><c>STORAGE_&lt;NAME&gt;_ENDPOINT</c>: an S3-compatible server's URL (null: AWS).</summary>
    public string? Endpoint { get; init; }

    /// <summary><c>STORAGE_&lt;NAME&gt;_REGION</c>.</summary>
    public string? Region { get; init; }

    /// <summary><c>STORAGE_&lt;NAME&gt;_FORCE_PATH_STYLE</c>: address the bucket in the path, not the host name (false).</summary>
    public bool ForcePathStyle { get; init; }
}
