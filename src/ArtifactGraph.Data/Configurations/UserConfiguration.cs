using ArtifactGraph.Data.Entities;
using ArtifactGraph.Data.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ArtifactGraph.Data.Configurations;

public sealed class UserConfiguration : IEntityTypeConfiguration<User>
{
    public void Configure(EntityTypeBuilder<User> builder)
    {
        builder.IsDirectusCollection("directus_users", order: 12, system: true);
        builder.HasKey(x => x.Id);
        builder.Property(x => x.Id).ValueGeneratedNever().HasDirectusSpecial("uuid");
        builder.Property(x => x.FirstName).HasMaxLength(50);
        builder.Property(x => x.LastName).HasMaxLength(50);
        builder.Property(x => x.Email).HasMaxLength(128);
        builder.Property(x => x.Password).HasMaxLength(255).HasDirectusType("hash").HasDirectusSpecial("hash");
        builder.Property(x => x.Status).HasMaxLength(16).IsRequired().HasDefaultValue("active");
        builder.Property(x => x.Token).HasMaxLength(255).HasDirectusType("hash").HasDirectusSpecial("conceal");
        builder.HasOne(x => x.RoleRef).WithMany().HasForeignKey(x => x.Role).OnDelete(DeleteBehavior.SetNull);
    }
}
