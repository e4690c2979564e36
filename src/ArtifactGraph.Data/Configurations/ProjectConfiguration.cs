using ArtifactGraph.Data.Entities;
using ArtifactGraph.Data.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ArtifactGraph.Data.Configurations;

public sealed class ProjectConfiguration : IEntityTypeConfiguration<Project>
{
    public void Configure(EntityTypeBuilder<Project> builder)
    {
        builder.IsDirectusCollection("projects", order: 3);
        builder.HasKey(x => x.Id);
        builder.Property(x => x.Id).ValueGeneratedNever().HasDirectusSpecial("uuid");
        builder.Property(x => x.DateCreated).HasDirectusSpecial("date-created");
        builder.Property(x => x.DateUpdated).HasDirectusSpecial("date-updated");
        builder.Property(x => x.Name).HasMaxLength(255);
        builder.Property(x => x.Context).IsDirectusJson();
        builder.Property(x => x.ContextVersion).HasDefaultValue(0).ValueGeneratedNever();
    }
}
