using System.Text;
using PatchKit.Diffs;

namespace PatchKit.Hosts.Kvm;

/// <summary>Applies a unified diff to files inside a guest through the agent with PatchKit's own applier: every file is
/// read and patched in memory first (nothing is written if any hunk fails), then written to a temporary file beside its
/// target, then all are renamed in one guest command that restores the originals if a rename fails. Paths are checked
/// lexically (no absolute path after stripping, no <c>..</c>) and in the guest (no symbolic link on the way).</summary>
internal static class GuestPatcher
{
    private const string TempSuffix = ".patchkit-new";

    // arguments: triples OP TMP TARGET (OP: w = replace/create, d = delete). Checks first, then renames; on failure the
    // originals (kept as hard links) come back.
    private const string CommitScript = """
        set -u
        IFS='
        '
        check() { d=$(dirname "$1"); [ -L "$1" ] && { echo "refusing: '$1' is a symbolic link" >&2; exit 3; }
          r=$(readlink -f "$d" 2>/dev/null || echo "$d"); [ "$r" = "$d" ] || { echo "refusing: '$d' resolves to '$r' (symbolic link)" >&2; exit 3; }; }
        i=0; for a in "$@"; do i=$((i+1)); [ $((i % 3)) -eq 0 ] && check "$a"; done
        done_list=""
        restore() { for t in $done_list; do if [ -e "$t.patchkit-orig" ]; then mv -f "$t.patchkit-orig" "$t"; else rm -f "$t"; fi; done; }
        while [ $# -gt 0 ]; do
          op=$1; tmp=$2; t=$3; shift 3
          if [ -e "$t" ]; then ln -f "$t" "$t.patchkit-orig" || { restore; exit 1; }; fi
          done_list="$done_list
        $t"
          if [ "$op" = d ]; then rm -f "$t" || { restore; exit 1; }
          else
            if [ -e "$t.patchkit-orig" ]; then chmod "$(stat -c %a "$t.patchkit-orig")" "$tmp"; fi
            mv -f "$tmp" "$t" || { restore; exit 1; }
          fi
        done
        for t in $done_list; do rm -f "$t.patchkit-orig"; done
        """;

    public static async Task<(bool Ok, string Message, List<string> Files)> ApplyAsync(GuestAgentClient agent, ReadOnlyMemory<byte> diff, string root, int strip, CancellationToken cancellationToken)
    {
        var doc = PatchDocument.Parse(diff);
        var plan = new List<(string Op, string Target, byte[]? Content)>();
        foreach (var fp in doc.Files)
        {
            bool deletes = fp.Operation == FileOperation.Delete;
            bool creates = fp.Operation == FileOperation.Add;
            string raw = (deletes ? fp.OldPath : fp.NewPath) ?? fp.OldPath ?? string.Empty;
            string target = Resolve(root, raw, strip);
            byte[] original = [];
            if (!creates)
            {
                try
                {
                    original = await agent.ReadFileAsync(target, cancellationToken).ConfigureAwait(false);
                }
                catch (QmpException ex)
                {
                    return (false, "cannot read '" + target + "' in the guest: " + ex.Description, []);
                }
            }

            byte[] patched = PatchApplier.ApplyFile(fp, original, out var result);
            if (!result.Succeeded)
            {
                return (false, "'" + target + "': " + (result.Error ?? result.FailedCount + " hunk(s) do not apply") + "; nothing was changed", []);
            }

            plan.Add((deletes ? "d" : "w", target, deletes ? null : patched));
        }

        var args = new List<string>();
        try
        {
            foreach (var (op, target, content) in plan)
            {
                string tmp = target + TempSuffix;
                if (content is not null)
                {
                    await Sh(agent, "mkdir -p \"$(dirname \"$1\")\"", cancellationToken, target).ConfigureAwait(false);
                    await agent.WriteFileAsync(tmp, content, cancellationToken).ConfigureAwait(false);
                }

                args.AddRange([op, tmp, target]);
            }

            var r = await agent.ExecAsync(new GuestCommand { Program = "/bin/sh", Arguments = ["-c", CommitScript, "sh", .. args], Timeout = TimeSpan.FromMinutes(2) }, cancellationToken).ConfigureAwait(false);
            if (r.ExitCode != 0)
            {
                await RemoveTempsAsync(agent, plan, cancellationToken).ConfigureAwait(false);
                return (false, "renaming into place failed, originals kept: " + Encoding.UTF8.GetString(r.StandardError.Span).Trim(), []);
            }
        }
        catch (QmpException ex)
        {
            await RemoveTempsAsync(agent, plan, CancellationToken.None).ConfigureAwait(false);
            return (false, "writing in the guest failed, nothing was changed: " + ex.Description, []);
        }

        return (true, plan.Count + " file(s) patched", [.. plan.Select(p => p.Target)]);
    }

    /// <summary>The in-guest path of a diff path: strip components, refuse absolute paths and <c>..</c>.</summary>
    internal static string Resolve(string root, string diffPath, int strip)
    {
        string[] parts = diffPath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (diffPath.StartsWith('/') && strip == 0)
        {
            throw new PathSafetyException("'" + diffPath + "' is absolute");
        }

        if (parts.Length <= strip)
        {
            throw new PathSafetyException("'" + diffPath + "' has no path left after stripping " + strip + " component(s)");
        }

        var rel = parts.Skip(strip).ToArray();
        if (Array.Exists(rel, p => p is ".." or "." || p.Contains('\0', StringComparison.Ordinal)))
        {
            throw new PathSafetyException("'" + diffPath + "' leaves the patch root");
        }

        return root.TrimEnd('/') + "/" + string.Join('/', rel);
    }

    private static async Task RemoveTempsAsync(GuestAgentClient agent, List<(string Op, string Target, byte[]? Content)> plan, CancellationToken cancellationToken)
    {
        try
        {
            await Sh(agent, "for t in \"$@\"; do rm -f \"$t.patchkit-new\"; done", cancellationToken, [.. plan.Select(p => p.Target)]).ConfigureAwait(false);
        }
        catch (QmpException)
        {
            // best effort: a leftover .patchkit-new file changes nothing
        }
    }

    private static Task<GuestExecResult> Sh(GuestAgentClient agent, string script, CancellationToken cancellationToken, params string[] args) =>
        agent.ExecAsync(new GuestCommand { Program = "/bin/sh", Arguments = ["-c", script, "sh", .. args], Timeout = TimeSpan.FromMinutes(1) }, cancellationToken);
}
