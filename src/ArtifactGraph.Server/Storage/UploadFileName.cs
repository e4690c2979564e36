using System.Globalization;
using System.Text;

namespace ArtifactGraph.Server.Storage;

/// <summary>What an uploaded file's own name may become: a download name without path parts, and a plain extension.</summary>
public static class UploadFileName
{
    private const int MaxExtensionLength = 16;

    /// <summary>The name's last path segment (either slash), without control characters; "file" when nothing is left.</summary>
    public static string Download(string name)
    {
        var last = name[(name.LastIndexOfAny(['/', '\\']) + 1)..];
        var clean = new string(last.Where(c => !char.IsControl(c)).ToArray()).Trim();
        return clean is "" or "." or ".." ? "file" : clean;
    }

    /// <summary>The extension, lower-case letters and digits only (empty when there is none or it holds anything else).</summary>
    public static string Extension(string downloadName)
    {
        var dot = downloadName.LastIndexOf('.');
        if (dot <= 0 || dot == downloadName.Length - 1)
        {
            return "";
        }

        var extension = downloadName[(dot + 1)..].ToLowerInvariant();
        return extension.Length <= MaxExtensionLength && extension.All(char.IsAsciiLetterOrDigit) ? extension : "";
    }

    /// <summary>Directus's default title: the name without its extension, words split on _ - and spaces, each capitalised.</summary>
    public static string Title(string downloadName)
    {
        var dot = downloadName.LastIndexOf('.');
        var stem = dot > 0 ? downloadName[..dot] : downloadName;
        var words = stem.Split(['_', '-', ' ', '.'], StringSplitOptions.RemoveEmptyEntries);
        var title = new StringBuilder();
        foreach (var word in words)
        {
            if (title.Length > 0)
            {
                title.Append(' ');
            }

            title.Append(char.ToUpper(word[0], CultureInfo.InvariantCulture)).Append(word.AsSpan(1));
        }

        return title.Length == 0 ? downloadName : title.ToString();
    }
}
