namespace PatchKit.Tests.Cli.GnuCompat;

/// <summary>The environment GNU patch reads for backups: <c>VERSION_CONTROL</c> and <c>PATCH_VERSION_CONTROL</c> (the
/// backup style when <c>-V</c> is not given, checked only when a backup may be made), <c>SIMPLE_BACKUP_SUFFIX</c> (the
/// simple backup's suffix unless <c>-z</c> names one) and <c>POSIXLY_CORRECT</c> (no backup of a mismatch by default,
/// which <c>--posix</c> alone does not change); and the backup style words' prefixes, as GNU's argmatch takes them.</summary>
internal static partial class GnuCompatRows
{
    private static IEnumerable<CompatRow> EnvironmentPatchRows()
    {
        var plain = F(("f", Ten), ("p.diff", Uni));
        var numbered = F(("f", Ten), ("f.~1~", "older\n"), ("p.diff", Uni));

        // A hunk that applies one line further down: a mismatch, backed up by default.
        var offset = F(("f", "l0\n" + Ten), ("p.diff", Uni));

        foreach (var (what, files, env, args) in new (string, (string, string)[], (string, string)[], string[])[]
        {
            ("VERSION_CONTROL=numbered -b", plain, [("VERSION_CONTROL", "numbered")], ["-b"]),
            ("VERSION_CONTROL=t -b", plain, [("VERSION_CONTROL", "t")], ["-b"]),
            ("VERSION_CONTROL=nu, a prefix, -b", plain, [("VERSION_CONTROL", "nu")], ["-b"]),
            ("VERSION_CONTROL=existing -b beside f.~1~", numbered, [("VERSION_CONTROL", "existing")], ["-b"]),
            ("VERSION_CONTROL=simple -b beside f.~1~", numbered, [("VERSION_CONTROL", "simple")], ["-b"]),
            ("VERSION_CONTROL empty -b beside f.~1~", numbered, [("VERSION_CONTROL", "")], ["-b"]),
            ("VERSION_CONTROL=none -b", plain, [("VERSION_CONTROL", "none")], ["-b"]),
            ("VERSION_CONTROL=numbered on a mismatch", offset, [("VERSION_CONTROL", "numbered")], []),
            ("VERSION_CONTROL=bogus -b", plain, [("VERSION_CONTROL", "bogus")], ["-b"]),
            ("VERSION_CONTROL=bogus, backups on a mismatch", plain, [("VERSION_CONTROL", "bogus")], []),
            ("VERSION_CONTROL=bogus --no-backup-if-mismatch", plain, [("VERSION_CONTROL", "bogus")], ["--no-backup-if-mismatch"]),
            ("VERSION_CONTROL=bogus --posix", plain, [("VERSION_CONTROL", "bogus")], ["--posix"]),
            ("VERSION_CONTROL=bogus -V simple -b", plain, [("VERSION_CONTROL", "bogus")], ["-V", "simple", "-b"]),
            ("VERSION_CONTROL=t -V simple -b", plain, [("VERSION_CONTROL", "t")], ["-V", "simple", "-b"]),
            ("PATCH_VERSION_CONTROL=t over VERSION_CONTROL=bogus -b", plain, [("PATCH_VERSION_CONTROL", "t"), ("VERSION_CONTROL", "bogus")], ["-b"]),
            ("PATCH_VERSION_CONTROL=zz over VERSION_CONTROL=t -b", plain, [("PATCH_VERSION_CONTROL", "zz"), ("VERSION_CONTROL", "t")], ["-b"]),
            ("PATCH_VERSION_CONTROL empty over VERSION_CONTROL=t -b", plain, [("PATCH_VERSION_CONTROL", ""), ("VERSION_CONTROL", "t")], ["-b"]),
            ("SIMPLE_BACKUP_SUFFIX=.bak -b", plain, [("SIMPLE_BACKUP_SUFFIX", ".bak")], ["-b"]),
            ("SIMPLE_BACKUP_SUFFIX empty -b", plain, [("SIMPLE_BACKUP_SUFFIX", "")], ["-b"]),
            ("SIMPLE_BACKUP_SUFFIX=.bak on a mismatch", offset, [("SIMPLE_BACKUP_SUFFIX", ".bak")], []),
            ("SIMPLE_BACKUP_SUFFIX=.bak -z .z -b", plain, [("SIMPLE_BACKUP_SUFFIX", ".bak")], ["-z", ".z", "-b"]),
            ("SIMPLE_BACKUP_SUFFIX=.bak -B pre/ -b", plain, [("SIMPLE_BACKUP_SUFFIX", ".bak")], ["-B", "pre/", "-b"]),
            ("SIMPLE_BACKUP_SUFFIX=.bak -Y pre- -b", plain, [("SIMPLE_BACKUP_SUFFIX", ".bak")], ["-Y", "pre-", "-b"]),
            ("SIMPLE_BACKUP_SUFFIX=.bak VERSION_CONTROL=t -b", plain, [("SIMPLE_BACKUP_SUFFIX", ".bak"), ("VERSION_CONTROL", "t")], ["-b"]),
            ("SIMPLE_BACKUP_SUFFIX=.bak VERSION_CONTROL=existing -b", plain, [("SIMPLE_BACKUP_SUFFIX", ".bak"), ("VERSION_CONTROL", "existing")], ["-b"]),
            ("POSIXLY_CORRECT on a mismatch", offset, [("POSIXLY_CORRECT", "1")], []),
            ("POSIXLY_CORRECT --backup-if-mismatch on a mismatch", offset, [("POSIXLY_CORRECT", "1")], ["--backup-if-mismatch"]),
            ("POSIXLY_CORRECT -V bogus", plain, [("POSIXLY_CORRECT", "1")], ["-V", "bogus"]),
            ("POSIXLY_CORRECT VERSION_CONTROL=bogus", plain, [("POSIXLY_CORRECT", "1"), ("VERSION_CONTROL", "bogus")], []),
            ("--posix on a mismatch", offset, [], ["--posix"]),
            ("VERSION_CONTROL=n, ambiguous, -b", plain, [("VERSION_CONTROL", "n")], ["-b"]),
            ("-V nu, a prefix, -b", plain, [], ["-V", "nu", "-b"]),
            ("-V n, ambiguous, -b", plain, [], ["-V", "n", "-b"]),
            ("-V o, a prefix of off, -b", plain, [], ["-V", "o", "-b"]),
            ("-V ni, a prefix of nil, -b beside f.~1~", numbered, [], ["-V", "ni", "-b"]),
            ("-V nev, a prefix of never, -b beside f.~1~", numbered, [], ["-V", "nev", "-b"]),
        })
        {
            yield return P($"patch {what}", files, [.. args, "-i", "p.diff"]) with { Env = env };
        }
    }
}
