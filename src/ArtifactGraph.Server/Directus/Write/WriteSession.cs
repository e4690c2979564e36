using System.Collections;
using ArtifactGraph.Data;
using ArtifactGraph.Data.Entities;
using ArtifactGraph.Server.Access;
using ArtifactGraph.Server.Auth;
using ArtifactGraph.Server.Directus.Model;
using ArtifactGraph.Server.Directus.Query;
using ArtifactGraph.Server.Errors;
using ArtifactGraph.Server.Invalidation;
using Microsoft.EntityFrameworkCore;

namespace ArtifactGraph.Server.Directus.Write;

/// <summary>
/// The work of one mutation inside its transaction, with Directus's PayloadService rules (spec §7.3):
/// many-to-one values are objects (an existing key links the item, and any other fields update it; no key creates
/// it), one-to-many values are the full list of child rows (each upserted with its foreign key set to the parent;
/// on update, rows left out are deselected), and the delete rules of the model hold on every database.
/// </summary>
internal sealed class WriteSession(ArtifactGraphDbContext db, DirectusModel model, Accountability who, DateTime now, CancellationToken ct)
{
    private static readonly FilterTranslator Filters = new(int.MaxValue);
    private readonly AccessRules access = who.Access;
    private (CollectionModel Collection, IDictionary<string, object?> Data)? current;

    private readonly List<ItemChange> changes = [];

    // The item whose write is under way: the parent of the items its nested values write.
    private ItemChange? parent;

    /// <summary>Every item this mutation wrote, one record each, in the order Directus finishes them.</summary>
    public IReadOnlyList<ItemChange> ItemChanges => changes;

    /// <summary>What this mutation wrote, per collection and action, with the keys.</summary>
    public IReadOnlyList<ChangeRecord> Changes => ChangeRecord.From(changes);

    /// <summary>The text of a field's value in the payload being saved when a constraint failed (for the error).</summary>
    public object? PayloadValue(string collection, string field)
        => current is { } c && c.Collection.Name == collection && c.Data.TryGetValue(field, out var raw)
            ? raw is string or int or long or double or decimal ? raw : InputValues.Describe(c.Collection, field, raw)
            : null;

    /// <param name="recorded">Fields the server set that Directus records as part of the payload (an upload's type…).</param>
    public async Task<object> CreateAsync(CollectionModel c, IDictionary<string, object?> data, Action<object>? adjust = null, IEnumerable<string>? recorded = null)
    {
        var permission = Permit(c, "create", data);
        if (permission.Presets is { } presets)
        {
            data = presets.Where(p => !data.ContainsKey(p.Key)).Concat(data).ToDictionary(kv => kv.Key, kv => kv.Value);
        }

        var change = new ItemChange(c.Name, ItemChange.Create, parent);
        var outer = parent;
        parent = change;
        try
        {
            var entity = Activator.CreateInstance(c.EntityType)!;
            var children = await ApplyAsync(c, entity, data, creating: true);
            adjust?.Invoke(entity);
            var pk = c.PrimaryKey;
            if (pk.Property!.PropertyType == typeof(Guid) && (Guid)pk.Getter(entity)! == Guid.Empty)
            {
                pk.Property.SetValue(entity, pk.Specials.Contains("uuid") ? Guid.NewGuid() : throw DirectusException.InvalidPayload($"\"{pk.Name}\" is required"));
            }

            db.Add(entity);
            await SaveAsync(c, data);
            var key = pk.Getter(entity)!;
            change.Key = key;

            // Directus: the payload with its presets, relational fields aside, is both the data and the delta.
            change.Delta = change.Data = RevisionValues.Of(c, entity, data.Keys.Concat(recorded ?? []), withManyToOne: false);
            await WriteChildrenAsync(children, key, creating: true);
            changes.Add(change);
            return key;
        }
        finally
        {
            parent = outer;
        }
    }

    /// <summary>Updates the item with this key; false (and nothing written) when there is none.</summary>
    public async Task<bool> UpdateAsync(CollectionModel c, object key, IDictionary<string, object?> data)
    {
        var entity = await db.FindAsync(c.EntityType, [key], ct);
        if (entity is null)
        {
            // Directus: an administrator's update of a missing key touches nothing; anyone else is refused up front.
            return access.IsAdmin ? false : throw Refused("update", c);
        }

        await UpdateEntityAsync(c, entity, key, data);
        return true;
    }

    /// <summary>
    /// Deletes the items with these keys after applying the model's delete rules to every row that points to them:
    /// refused while a <see cref="DeleteRule.Restrict"/> row exists, junction rows deleted, other references set to null.
    /// ArtifactGraph's foreign keys say the same; a database Directus manages (every key <c>SET NULL</c>) gets the
    /// same outcome because the rules are applied here, inside the transaction.
    /// </summary>
    public async Task DeleteAsync(CollectionModel c, IReadOnlyList<object> keys)
    {
        if (keys.Count == 0)
        {
            return;
        }

        if (!access.IsAdmin)
        {
            var permission = access.For(c, "delete") ?? throw Refused("delete", c);
            if (await Rows.For(c).CountAsync(db, c, keys, Filters, permission.ItemFilter, ct) != keys.Count)
            {
                throw Refused("delete", c);
            }
        }
        else
        {
            // An administrator's delete of missing keys is no error, and no change: only the items that exist are on record.
            keys = await Rows.For(c).ExistingAsync(db, c, keys, ct);
        }

        await DeleteRowsAsync(c, keys, recorded: true);
    }

    /// <summary>
    /// The delete itself and the rules for the rows that point to the items (no permission checks: the rules decide).
    /// What the rules change is not <paramref name="recorded"/>: Directus leaves that to the database's foreign keys.
    /// </summary>
    private async Task DeleteRowsAsync(CollectionModel c, IReadOnlyList<object> keys, bool recorded)
    {
        if (keys.Count == 0)
        {
            return;
        }

        if (c.EntityType == typeof(StoredFile))
        {
            await RefuseFilesOfApprovedVersionsAsync(keys);
        }

        // The history (activity, revisions) keeps its rows as written: a deleted user's activity still names them.
        foreach (var reference in model.Collections.Where(x => !x.IsReadOnly).SelectMany(x => x.Fields).Where(f => f.Kind == FieldKind.ManyToOne && f.Related == c))
        {
            var rows = await Rows.For(reference.Collection).WhereInAsync(db, reference, keys, ct);
            if (rows.Count == 0)
            {
                continue;
            }

            switch (reference.OnDelete)
            {
                case DeleteRule.Restrict:
                    var key = reference.Getter(rows[0]);
                    throw DirectusException.InvalidForeignKey(reference.Collection.Name, reference.Name, Convert.ToString(key, System.Globalization.CultureInfo.InvariantCulture),
                        $"Can't delete {c.Name} item \"{key}\": {rows.Count} {reference.Collection.Name} item(s) still refer to it through \"{reference.Name}\".");
                case DeleteRule.Cascade:
                    await DeleteRowsAsync(reference.Collection, rows.Select(r => reference.Collection.PrimaryKey.Getter(r)!).ToList(), recorded: false);
                    break;
                default:
                    rows.ForEach(r => reference.Property!.SetValue(r, null));
                    await SaveAsync(reference.Collection, null);
                    changes.AddRange(rows.Select(r => new ItemChange(reference.Collection.Name, ItemChange.Update, parent)
                    {
                        Key = reference.Collection.PrimaryKey.Getter(r),
                        IsRecorded = false,
                    }));
                    break;
            }
        }

        current = null;
        await Rows.For(c).DeleteAsync(db, c, keys, ct);
        changes.AddRange(keys.Select(k => new ItemChange(c.Name, ItemChange.Delete, parent) { Key = k, IsRecorded = recorded }));
    }

    /// <param name="attached">The field <paramref name="adjust"/> sets (a child's foreign key to its parent), part of the delta.</param>
    private async Task UpdateEntityAsync(
        CollectionModel c, object entity, object key, IDictionary<string, object?> data, Action<object>? adjust = null, string? attached = null)
    {
        var permission = Permit(c, "update", data);
        if (permission.ItemFilter is { } items && await Rows.For(c).CountAsync(db, c, [key], Filters, items, ct) == 0)
        {
            throw Refused("update", c);
        }

        var change = new ItemChange(c.Name, ItemChange.Update, parent) { Key = key };
        var outer = parent;
        parent = change;
        try
        {
            var children = await ApplyAsync(c, entity, data, creating: false);
            adjust?.Invoke(entity);
            await SaveAsync(c, data);

            // Directus: the delta is what the update wrote (the key and one-to-many values aside, what the server set
            // included), the data the item after it.
            var written = data.Keys.Where(f => f != c.PrimaryKey.Name)
                .Concat(attached is null ? [] : [attached])
                .Concat(c.Fields.Where(f => f.Specials is ["date-updated"] or ["user-updated"]).Select(f => f.Name));
            (change.Delta, change.Data) = RevisionValues.Updated(c, entity, written);
            await WriteChildrenAsync(children, key, creating: false);
            changes.Add(change);
        }
        finally
        {
            parent = outer;
        }
    }

    /// <summary>Writes scalars and many-to-one links onto the entity; returns the one-to-many values for later.</summary>
    private async Task<List<(FieldModel Field, object? Value)>> ApplyAsync(CollectionModel c, object entity, IDictionary<string, object?> data, bool creating)
    {
        var children = new List<(FieldModel, object?)>();
        foreach (var (name, raw) in data)
        {
            var field = c.Field(name) ?? throw DirectusException.InvalidPayload($"Field \"{name}\" doesn't exist in collection \"{c.Name}\"");
            switch (field.Kind)
            {
                case FieldKind.OneToMany:
                    children.Add((field, raw));
                    break;
                case FieldKind.ManyToOne:
                    field.Property!.SetValue(entity, await LinkAsync(field, raw));
                    break;
                case FieldKind.Scalar when field.IsPrimaryKey:
                    if (creating && raw is not null)
                    {
                        field.Property!.SetValue(entity, InputValues.ToKey(c, raw)
                            ?? throw DirectusException.InvalidPayload($"\"{raw}\" is not a valid primary key for collection \"{c.Name}\""));
                    }

                    break;
                default:
                    field.Property!.SetValue(entity, InputValues.ToColumn(field, raw));
                    break;
            }
        }

        foreach (var field in c.Fields.Where(f => f.Kind is FieldKind.Scalar or FieldKind.ManyToOne && f.Specials.Count > 0))
        {
            object? value = (creating, field.Specials.FirstOrDefault()) switch
            {
                (true, "date-created") or (false, "date-updated") => now,
                (true, "user-created") or (false, "user-updated") => who.UserId,
                _ => Unchanged,
            };
            if (value != Unchanged)
            {
                field.Property!.SetValue(entity, value);
            }
        }

        return children;
    }

    private static readonly object Unchanged = new();

    /// <summary>The foreign key a many-to-one value stands for, creating or updating the related item as Directus does.</summary>
    private async Task<object?> LinkAsync(FieldModel field, object? raw)
    {
        if (raw is null)
        {
            return null;
        }

        var related = field.Related!;
        var nested = AsItem(field, raw);
        var pk = related.PrimaryKey.Name;
        if (!nested.TryGetValue(pk, out var rawKey) || rawKey is null)
        {
            return await CreateAsync(related, nested);
        }

        var key = InputValues.ToKey(related, rawKey) ?? throw DirectusException.InvalidForeignKey(field.Collection.Name, field.Name, InputValues.Describe(related, pk, rawKey));
        var existing = await db.FindAsync(related.EntityType, [key], ct);
        if (existing is not null)
        {
            var changes = nested.Where(kv => kv.Key != pk).ToDictionary(kv => kv.Key, kv => kv.Value);
            if (changes.Count > 0)
            {
                await UpdateEntityAsync(related, existing, key, changes);
            }

            return key;
        }

        // An unknown key with nothing else is a dangling reference, not a request to create an empty item.
        return nested.Count > 1
            ? await CreateAsync(related, nested)
            : throw DirectusException.InvalidForeignKey(field.Collection.Name, field.Name, InputValues.Describe(related, pk, rawKey));
    }

    private async Task WriteChildrenAsync(List<(FieldModel Field, object? Value)> children, object parentKey, bool creating)
    {
        foreach (var (alias, raw) in children)
        {
            if (raw is Items.RelationChanges detailed)
            {
                await WriteChangesAsync(alias, detailed, parentKey);
                continue;
            }

            if (raw is not null and (string or not IEnumerable))
            {
                throw DirectusException.InvalidPayload($"\"{alias.Name}\" in collection \"{alias.Collection.Name}\" has to be an array");
            }

            var kept = new List<object>();
            foreach (var element in raw as IEnumerable ?? Array.Empty<object>())
            {
                kept.Add(await UpsertChildAsync(alias, element, parentKey));
            }

            if (!creating)
            {
                await DeselectAsync(alias, parentKey, kept);
            }
        }
    }

    /// <summary>A row of a one-to-many value, linked to the parent: updated when its key exists, created otherwise.</summary>
    private async Task<object> UpsertChildAsync(FieldModel alias, object? element, object parentKey)
    {
        var child = alias.Related!;
        var back = alias.ReverseField!;
        var item = AsItem(alias, element).Where(kv => kv.Key != back.Name).ToDictionary(kv => kv.Key, kv => kv.Value);
        void Attach(object row) => back.Property!.SetValue(row, parentKey);
        var key = item.TryGetValue(child.PrimaryKey.Name, out var rawKey) ? InputValues.ToKey(child, rawKey) : null;
        var existing = key is null ? null : await db.FindAsync(child.EntityType, [key], ct);
        if (existing is not null)
        {
            await UpdateEntityAsync(
                child, existing, key!, item.Where(kv => kv.Key != child.PrimaryKey.Name).ToDictionary(kv => kv.Key, kv => kv.Value), Attach, back.Name);
            return key!;
        }

        return await CreateAsync(child, item, Attach);
    }

    /// <summary>Directus's <c>{ create, update, delete }</c> form: the rows named change, the parent's other rows stay.</summary>
    private async Task WriteChangesAsync(FieldModel alias, Items.RelationChanges changes, object parentKey)
    {
        foreach (var element in changes.Create.Concat(changes.Update))
        {
            await UpsertChildAsync(alias, element, parentKey);
        }

        var child = alias.Related!;
        var keys = changes.Delete.Select(k => InputValues.ToKey(child, k)).OfType<object>().ToList();
        if (keys.Count > 0)
        {
            var back = alias.ReverseField!;
            var rows = (await Rows.For(child).WhereInAsync(db, back, [parentKey], ct)).Where(r => keys.Contains(child.PrimaryKey.Getter(r)!)).ToList();
            await LetGoAsync(alias, rows);
        }
    }

    /// <summary>Child rows the new list left out: junction rows (owned by the parent) are deleted, others let go.</summary>
    private async Task DeselectAsync(FieldModel alias, object parentKey, List<object> kept)
    {
        var child = alias.Related!;
        var back = alias.ReverseField!;
        var rows = (await Rows.For(child).WhereInAsync(db, back, [parentKey], ct))
            .Where(r => !kept.Contains(child.PrimaryKey.Getter(r)!))
            .ToList();
        await LetGoAsync(alias, rows);
    }

    /// <summary>Child rows a parent lets go of: junction rows (owned by the parent) are deleted, others unlinked.</summary>
    private async Task LetGoAsync(FieldModel alias, List<object> rows)
    {
        if (rows.Count == 0)
        {
            return;
        }

        var child = alias.Related!;
        var back = alias.ReverseField!;
        if (back.OnDelete == DeleteRule.Cascade)
        {
            await DeleteRowsAsync(child, rows.Select(r => child.PrimaryKey.Getter(r)!).ToList(), recorded: true);
        }
        else
        {
            // Directus updates the rows it lets go through its items service: on record, as updates of the foreign key.
            rows.ForEach(r => back.Property!.SetValue(r, null));
            await SaveAsync(child, null);
            changes.AddRange(rows.Select(r => new ItemChange(child.Name, ItemChange.Update, parent)
            {
                Key = child.PrimaryKey.Getter(r),
                Delta = RevisionValues.Of(child, r, [back.Name], withManyToOne: true),
                Data = RevisionValues.Snapshot(child, r),
            }));
        }
    }

    /// <summary>The rule of the seed's open question: a file an approved version uses (primary or attached) stays.</summary>
    private async Task RefuseFilesOfApprovedVersionsAsync(IReadOnlyList<object> keys)
    {
        var ids = keys.Select(k => (Guid?)(Guid)k).ToList();
        var used = await db.Set<ArtifactVersion>().AsNoTracking()
            .Where(v => v.Status == "approved" && (ids.Contains(v.PrimaryFileId) || v.Files.Any(f => ids.Contains(f.DirectusFilesId))))
            .Select(v => new { v.Id, v.PrimaryFileId, Files = v.Files.Select(f => f.DirectusFilesId) })
            .FirstOrDefaultAsync(ct);
        if (used is not null)
        {
            var file = ids.First(id => used.PrimaryFileId == id || used.Files.Contains(id))!.Value;
            throw DirectusException.InvalidForeignKey("artifact_versions", used.PrimaryFileId == file ? "primary_file_id" : "files", file.ToString(),
                $"Can't delete file \"{file}\": the approved artifact version \"{used.Id}\" uses it. Approved versions keep their files.");
        }
    }

    /// <summary>
    /// The caller's permission for the action: it must exist, cover every field written (the key aside) and the
    /// values must pass its validation. Administrators pass.
    /// </summary>
    private CollectionPermission Permit(CollectionModel c, string action, IDictionary<string, object?> data)
    {
        var permission = access.For(c, action) ?? throw Refused(action, c);
        var denied = data.Keys.Where(f => f != c.PrimaryKey.Name && !permission.AllowsField(f)).ToList();
        if (denied.Count > 0)
        {
            throw DirectusException.Forbidden(
                $"You don't have permission to perform \"{action}\" for the field(s) {string.Join(", ", denied.Select(f => $"\"{f}\""))} in collection \"{c.Name}\" or it does not exist.");
        }

        PayloadValidation.Check(permission.Validation, data);
        return permission;
    }

    private static DirectusException Refused(string action, CollectionModel c)
        => DirectusException.Forbidden($"You don't have permission to perform \"{action}\" for collection \"{c.Name}\" or it does not exist.");

    private async Task SaveAsync(CollectionModel collection, IDictionary<string, object?>? data)
    {
        current = data is null ? null : (collection, data);
        await db.SaveChangesAsync(ct);
        current = null;
    }

    private static IDictionary<string, object?> AsItem(FieldModel field, object? raw)
        => raw as IDictionary<string, object?>
            ?? throw DirectusException.InvalidPayload($"\"{field.Name}\" in collection \"{field.Collection.Name}\" has to be an object");
}
