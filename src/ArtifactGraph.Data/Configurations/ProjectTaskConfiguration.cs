using ArtifactGraph.Data.Entities;
using ArtifactGraph.Data.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ArtifactGraph.Data.Configurations;

public sealed class ProjectTaskConfiguration : IEntityTypeConfiguration<ProjectTask>
{
    public void Configure(EntityTypeBuilder<ProjectTask> builder)
    {
        builder.IsDirectusCollection("tasks", order: 1);
        builder.HasKey(x => x.Id);
        builder.Property(x => x.Id).ValueGeneratedNever().HasDirectusSpecial("uuid");
        builder.Property(x => x.Title).HasMaxLength(255);
        builder.Property(x => x.Status).HasMaxLength(255);
        builder.HasOne(x => x.Project).WithMany().HasForeignKey(x => x.ProjectId).OnDelete(DeleteBehavior.Restrict);
        builder.HasMany(x => x.Artifacts).WithOne(x => x.Task).HasForeignKey(x => x.TaskId).OnDelete(DeleteBehavior.Cascade);
        builder.Navigation(x => x.Artifacts).HasAnnotation(DirectusAnnotations.SortField, "sort");
    }
}
