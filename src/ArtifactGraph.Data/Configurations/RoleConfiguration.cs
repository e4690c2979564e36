using ArtifactGraph.Data.Entities;
using ArtifactGraph.Data.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ArtifactGraph.Data.Configurations;

public sealed class RoleConfiguration : IEntityTypeConfiguration<Role>
{
    public void Configure(EntityTypeBuilder<Role> builder)
    {
        builder.IsDirectusCollection("directus_roles", order: 13, system: true);
        builder.HasKey(x => x.Id);
        builder.Property(x => x.Id).ValueGeneratedNever().HasDirectusSpecial("uuid");
        builder.Property(x => x.Name).HasMaxLength(100);
        builder.Property(x => x.Icon).HasMaxLength(64);
        builder.Property(x => x.Description).HasDirectusType("text");
        builder.Property(x => x.AdminAccess).HasDefaultValue(false).ValueGeneratedNever();
    }
}
