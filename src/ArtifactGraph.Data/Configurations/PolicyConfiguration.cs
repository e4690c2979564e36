using ArtifactGraph.Data.Entities;
using ArtifactGraph.Data.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ArtifactGraph.Data.Configurations;

public sealed class PolicyConfiguration : IEntityTypeConfiguration<Policy>
{
    public void Configure(EntityTypeBuilder<Policy> builder)
    {
        builder.IsDirectusCollection("directus_policies", order: 14, system: true);
        builder.HasKey(x => x.Id);
        builder.Property(x => x.Id).ValueGeneratedNever().HasDirectusSpecial("uuid");
        builder.Property(x => x.Name).HasMaxLength(100);
        builder.Property(x => x.Icon).HasMaxLength(64).HasDefaultValue("badge");
        builder.Property(x => x.Description).HasDirectusType("text");
        builder.Property(x => x.AdminAccess).HasDefaultValue(false).ValueGeneratedNever();
        builder.Property(x => x.AppAccess).HasDefaultValue(false).ValueGeneratedNever();
    }
}
