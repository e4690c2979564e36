using System.Net;
using Amazon;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using ArtifactGraph.Server.Configuration;

namespace ArtifactGraph.Server.Storage;

/// <summary>
/// Keeps file bytes as objects of one bucket of AWS S3 or an S3-compatible server (<c>STORAGE_&lt;NAME&gt;_DRIVER=s3</c>),
/// one object per <c>filename_disk</c>, keyed by that plain name.
/// </summary>
public sealed class S3FileStorage : IFileStorage, IDisposable
{
    private readonly AmazonS3Client client;
    private readonly string bucket;

    public S3FileStorage(StorageLocation location)
    {
        ArgumentNullException.ThrowIfNull(location);
        bucket = location.Bucket ?? throw new ArgumentException("An S3 location needs a bucket.", nameof(location));
        var config = new AmazonS3Config
        {
            ForcePathStyle = location.ForcePathStyle,

            // Checksums only where S3 requires them: S3-compatible servers do not all know the newer trailing checksums.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        if (location.Endpoint is not null)
        {
            config.ServiceURL = location.Endpoint;
            config.AuthenticationRegion = location.Region ?? "us-east-1";
        }
        else if (location.Region is not null)
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(location.Region);
        }

        client = location.Key is null
            ? new AmazonS3Client(config)
            : new AmazonS3Client(new BasicAWSCredentials(location.Key, location.Secret), config);
    }

    public async Task SaveAsync(string filenameDisk, Stream content, CancellationToken cancellationToken)
    {
        var key = StorageFileName.Validate(filenameDisk);

        // The object's length and hash must be known before it is sent (a plain signed PUT, not aws-chunked encoding, which
        // S3-compatible servers such as s3rver store verbatim): the bytes are read to the end into a temporary file first.
        var temporary = Path.Combine(Path.GetTempPath(), $"artifactgraph-s3-{Guid.NewGuid():N}.tmp");
        await using var buffer = new FileStream(
            temporary, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.Asynchronous | FileOptions.DeleteOnClose);
        await content.CopyToAsync(buffer, cancellationToken);
        buffer.Position = 0;
        await client.PutObjectAsync(
            new PutObjectRequest { BucketName = bucket, Key = key, InputStream = buffer, AutoCloseStream = false, UseChunkEncoding = false },
            cancellationToken);
    }

    public async Task<Stream?> OpenReadAsync(string filenameDisk, CancellationToken cancellationToken)
    {
        var key = StorageFileName.Validate(filenameDisk);
        try
        {
            var response = await client.GetObjectAsync(bucket, key, cancellationToken);
            return response.ResponseStream;
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task DeleteAsync(string filenameDisk, CancellationToken cancellationToken)
        => await client.DeleteObjectAsync(bucket, StorageFileName.Validate(filenameDisk), cancellationToken);

    public void Dispose() => client.Dispose();
}
