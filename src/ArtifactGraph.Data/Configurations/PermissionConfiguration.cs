using ArtifactGraph.Data.Entities;
using ArtifactGraph.Data.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ArtifactGraph.Data.Configurations;

public sealed class PermissionConfiguration : IEntityTypeConfiguration<Permission>
{
    public void Configure(EntityTypeBuilder<Permission> builder)
    {
        builder.IsDirectusCollection("directus_permissions", order: 16, system: true);
        builder.HasKey(x => x.Id);
        builder.Property(x => x.Collection).HasMaxLength(64);
        builder.Property(x => x.Action).HasMaxLength(10);
        builder.Property(x => x.Permissions).IsDirectusJson();
        builder.Property(x => x.Validation).IsDirectusJson();
        builder.Property(x => x.Presets).IsDirectusJson();
        builder.Property(x => x.Fields).HasDirectusType("csv").HasDirectusSpecial("cast-csv");
        builder.HasOne(x => x.PolicyRef).WithMany().HasForeignKey(x => x.Policy).OnDelete(DeleteBehavior.Cascade);
    }
}
