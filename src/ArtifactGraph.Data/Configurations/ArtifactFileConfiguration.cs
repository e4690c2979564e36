using ArtifactGraph.Data.Entities;
using ArtifactGraph.Data.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ArtifactGraph.Data.Configurations;

public sealed class ArtifactFileConfiguration : IEntityTypeConfiguration<ArtifactFile>
{
    public void Configure(EntityTypeBuilder<ArtifactFile> builder)
    {
        builder.IsDirectusCollection("artifact_files", order: 4);
        builder.HasKey(x => x.Id);
        builder.Property(x => x.Id).ValueGeneratedOnAdd();
        builder.HasOne(x => x.DirectusFiles).WithMany().HasForeignKey(x => x.DirectusFilesId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(x => new { x.ArtifactVersionId, x.Sort }).HasDatabaseName("idx_artifact_files_version_sort");
    }
}
