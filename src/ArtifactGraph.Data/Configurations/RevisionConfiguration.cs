using ArtifactGraph.Data.Entities;
using ArtifactGraph.Data.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ArtifactGraph.Data.Configurations;

public sealed class RevisionConfiguration : IEntityTypeConfiguration<Revision>
{
    public void Configure(EntityTypeBuilder<Revision> builder)
    {
        builder.IsDirectusCollection("directus_revisions", order: 18, system: true).IsReadOnlyCollection();
        builder.HasKey(x => x.Id);
        builder.Property(x => x.Id).ValueGeneratedOnAdd();
        builder.Property(x => x.Collection).HasMaxLength(64);
        builder.Property(x => x.Item).HasMaxLength(255);
        builder.Property(x => x.Data).IsDirectusJson();
        builder.Property(x => x.Delta).IsDirectusJson();
        builder.HasOne(x => x.ActivityRef).WithMany(x => x.Revisions).HasForeignKey(x => x.Activity).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(x => x.ParentRef).WithMany().HasForeignKey(x => x.Parent).OnDelete(DeleteBehavior.NoAction);
    }
}
