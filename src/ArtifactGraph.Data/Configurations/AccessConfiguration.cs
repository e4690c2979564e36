using ArtifactGraph.Data.Entities;
using ArtifactGraph.Data.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ArtifactGraph.Data.Configurations;

public sealed class AccessConfiguration : IEntityTypeConfiguration<Access>
{
    public void Configure(EntityTypeBuilder<Access> builder)
    {
        builder.IsDirectusCollection("directus_access", order: 15, system: true);
        builder.HasKey(x => x.Id);
        builder.Property(x => x.Id).ValueGeneratedNever().HasDirectusSpecial("uuid");
        builder.HasOne(x => x.RoleRef).WithMany().HasForeignKey(x => x.Role).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(x => x.UserRef).WithMany().HasForeignKey(x => x.User).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(x => x.PolicyRef).WithMany().HasForeignKey(x => x.Policy).OnDelete(DeleteBehavior.Cascade);
    }
}
