using ArtifactGraph.Data.Entities;
using ArtifactGraph.Data.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ArtifactGraph.Data.Configurations;

public sealed class ArtifactVersionConfiguration : IEntityTypeConfiguration<ArtifactVersion>
{
    public void Configure(EntityTypeBuilder<ArtifactVersion> builder)
    {
        builder.IsDirectusCollection("artifact_versions", order: 2);
        builder.HasKey(x => x.Id);
        builder.Property(x => x.Id).ValueGeneratedNever().HasDirectusSpecial("uuid");
        builder.Property(x => x.DateCreated).HasDirectusSpecial("date-created");
        builder.Property(x => x.SchemaKey).HasMaxLength(255);
        builder.Property(x => x.Status).HasMaxLength(255).HasDefaultValue("draft");
        builder.Property(x => x.Content).IsDirectusJson();
        builder.HasOne(x => x.Project).WithMany().HasForeignKey(x => x.ProjectId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(x => x.PrimaryFile).WithMany().HasForeignKey(x => x.PrimaryFileId).OnDelete(DeleteBehavior.SetNull);
        builder.HasMany(x => x.Files).WithOne(x => x.ArtifactVersion).HasForeignKey(x => x.ArtifactVersionId).OnDelete(DeleteBehavior.Cascade);
        builder.Navigation(x => x.Files).HasAnnotation(DirectusAnnotations.SortField, "sort");
        builder.HasIndex(x => new { x.ProjectId, x.SchemaKey })
            .HasDatabaseName("idx_one_approved_per_path")
            .IsUnique()
            .HasFilter("status = 'approved'");
    }
}
