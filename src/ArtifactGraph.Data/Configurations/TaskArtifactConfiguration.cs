using ArtifactGraph.Data.Entities;
using ArtifactGraph.Data.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ArtifactGraph.Data.Configurations;

public sealed class TaskArtifactConfiguration : IEntityTypeConfiguration<TaskArtifact>
{
    public void Configure(EntityTypeBuilder<TaskArtifact> builder)
    {
        builder.IsDirectusCollection("task_artifacts", order: 5);
        builder.HasKey(x => x.Id);
        builder.Property(x => x.Id).ValueGeneratedOnAdd();
        builder.HasOne(x => x.ArtifactVersion).WithMany().HasForeignKey(x => x.ArtifactVersionId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(x => new { x.TaskId, x.Sort }).HasDatabaseName("idx_task_artifacts_task_sort");
    }
}
