using ArtifactGraph.Data.Entities;
using ArtifactGraph.Data.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ArtifactGraph.Data.Configurations;

public sealed class ArtifactApprovalConfiguration : IEntityTypeConfiguration<ArtifactApproval>
{
    public void Configure(EntityTypeBuilder<ArtifactApproval> builder)
    {
        builder.IsDirectusCollection("artifact_approvals", order: 6);
        builder.HasKey(x => x.Id);
        builder.Property(x => x.Id).ValueGeneratedOnAdd();
        builder.HasIndex(x => x.ArtifactVersionId).IsUnique().HasDatabaseName("artifact_approvals_artifact_version_id_unique");
        builder.HasOne(x => x.ArtifactVersion).WithMany().HasForeignKey(x => x.ArtifactVersionId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(x => x.Project).WithMany().HasForeignKey(x => x.ProjectId).OnDelete(DeleteBehavior.Restrict);
    }
}
