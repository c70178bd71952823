#!/usr/bin/env bash
# Packs PatchKit and PatchKit.Tool from a fresh clone of HEAD, as a release would, and checks what a user gets:
#   - no build warning in the fresh clone;
#   - each package has its README (the library's shows library usage), icon, license, project and repository URLs,
#     and the library has a .snupkg whose PDB maps every source file to the commit on the remote (SourceLink);
#   - a consumer app built against a local feed compiles and runs the C# examples of the package README, and gets the
#     library's dependencies at the versions the package asks for (not higher);
#   - the tool installs with `dotnet tool install PatchKit.Tool`, runs as `patchkit`, and prints errors as sentences.
# Usage: eng/pack-check.sh [REMOTE-URL]
#   REMOTE-URL is the origin the clone gets (SourceLink and the URLs are read from it). Default: this repository's
#   origin when it is an https URL, else https://github.com/patchkit/patchkit (a stand-in: nothing is fetched from it).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

remote=${1:-$(git -C "$repo" remote get-url origin 2>/dev/null || true)}
case "$remote" in https://*) ;; *) remote=https://github.com/patchkit/patchkit ;; esac
remote=${remote%.git}

work=$(mktemp -d "${TMPDIR:-/tmp}/patchkit-pack-check.XXXXXX")
trap 'rm -rf "$work"' EXIT
fail() { echo "pack-check: FAILED: $*" >&2; exit 1; }
step() { echo "== $*"; }

step "fresh clone of $(git -C "$repo" rev-parse --short HEAD), origin $remote"
git clone -q --no-local "$repo" "$work/src"
git -C "$work/src" remote set-url origin "$remote.git"
commit=$(git -C "$work/src" rev-parse HEAD)
cp "$repo/nuget.config" "$work/nuget.config.repo"

step "dotnet pack (library and tool)"
feed="$work/feed"
for project in src/PatchKit src/PatchKit.Cli; do
  (cd "$work/src" && dotnet pack "$project" -c Release -o "$feed" -p:ContinuousIntegrationBuild=true) > "$work/pack.log" 2>&1 \
    || { cat "$work/pack.log"; fail "dotnet pack $project"; }
  if grep -E ": warning [A-Z]*[0-9]*|: warning :" "$work/pack.log" | sort -u | grep .; then
    fail "the fresh clone's build of $project has warnings (above)"
  fi
done
version=$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' "$repo/Directory.Build.props")
lib="$feed/PatchKit.$version.nupkg"; tool="$feed/PatchKit.Tool.$version.nupkg"
[ -f "$lib" ] || fail "no $lib"
[ -f "$tool" ] || fail "no $tool"
[ -f "$feed/PatchKit.$version.snupkg" ] || fail "no PatchKit.$version.snupkg"

check_package() { # nupkg, README source
  local pkg=$1 readme=$2 id nuspec
  id=$(basename "$pkg" ".$version.nupkg")
  nuspec=$(unzip -p "$pkg" "$id.nuspec")
  unzip -p "$pkg" README.md | cmp -s - "$repo/$readme" || fail "$id: README.md is not $readme"
  unzip -l "$pkg" icon.png > /dev/null || fail "$id: no icon.png"
  unzip -p "$pkg" icon.png | head -c 8 | od -An -tx1 | grep -q '89 50 4e 47' || fail "$id: icon.png is not a PNG"
  for want in "<readme>README.md</readme>" "<icon>icon.png</icon>" '<license type="expression">MIT</license>' \
              "<projectUrl>$remote</projectUrl>" "<repository type=\"git\" url=\"$remote.git\"" "commit=\"$commit\""; do
    grep -qF "$want" <<< "$nuspec" || fail "$id: the nuspec lacks $want"
  done
  echo "   $id: README, icon, license, project URL, repository URL and commit are right"
}
step "package metadata"
check_package "$lib" docs/package/README.md
check_package "$tool" docs/package/tool-README.md
unzip -p "$tool" PatchKit.Tool.nuspec | grep -q '<packageType name="DotnetTool"' || fail "PatchKit.Tool is not a tool package"

step "SourceLink (the PDB in the .snupkg)"
unzip -p "$feed/PatchKit.$version.snupkg" lib/net10.0/PatchKit.pdb > "$work/PatchKit.pdb"
map=$(grep -a -o '{"documents":{[^}]*}}' "$work/PatchKit.pdb" || true)
[ -n "$map" ] || fail "the PDB has no SourceLink map (an empty source link)"
want="https://raw.githubusercontent.com/${remote#https://github.com/}/$commit/*"
case "$remote" in
  https://github.com/*) grep -qF "\"$want\"" <<< "$map" || fail "SourceLink map $map does not point at $want" ;;
  *) grep -qF "$commit" <<< "$map" || fail "SourceLink map $map does not name commit $commit" ;;
esac
# Every source the PDB names must exist at that commit under the mapped path, or the links would be dead.
mkdir -p "$work/pdbdocs"
cat > "$work/pdbdocs/pdbdocs.cs" <<'CS'
using System.Reflection.Metadata;
using var stream = File.OpenRead(args[0]);
using var provider = MetadataReaderProvider.FromPortablePdbStream(stream);
var reader = provider.GetMetadataReader();
foreach (var handle in reader.Documents)
    Console.WriteLine(reader.GetString(reader.GetDocument(handle).Name));
CS
(cd "$work/pdbdocs" && dotnet run pdbdocs.cs -- "$work/PatchKit.pdb") > "$work/pdbdocs.txt" 2> "$work/pdbdocs.err" \
  || { cat "$work/pdbdocs.err"; fail "reading the PDB's documents"; }
documents=0; missing=0
while read -r path; do
  case "$path" in */obj/*|*.g.cs) continue ;; esac
  documents=$((documents + 1))
  git -C "$work/src" cat-file -e "$commit:${path#/_/}" 2>/dev/null || { echo "   not in the commit: $path"; missing=$((missing + 1)); }
done < <(grep '^/_/' "$work/pdbdocs.txt")
[ "$documents" -gt 100 ] || fail "the PDB names only $documents source files under /_/ (not a deterministic build?)"
[ "$missing" = 0 ] || fail "$missing source files of the PDB are not in commit $commit"
echo "   $documents source files, each at the commit the map points at"
echo "   $map"

step "consumer app from the local feed (runs the package README's examples)"
app="$work/consumer"
mkdir -p "$app"
cat > "$app/nuget.config" <<EOF
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
    <add key="local" value="$feed" />
$(sed -n 's:^ *\(<add key=.*/>\)$:    \1:p' "$work/nuget.config.repo")
  </packageSources>
  <config><add key="globalPackagesFolder" value="$work/packages" /></config>
</configuration>
EOF
cat > "$app/Consumer.csproj" <<EOF
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <ImplicitUsings>enable</ImplicitUsings>
    <Nullable>enable</Nullable>
    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="PatchKit" Version="$version" />
  </ItemGroup>
</Project>
EOF
# The README's C# blocks, in order, as one program: using directives first, then the statements.
awk '/^```csharp$/{on=1; next} /^```$/{on=0} on' "$repo/docs/package/README.md" > "$work/snippets.cs"
{ grep -E '^using [A-Za-z.]+;$' "$work/snippets.cs" | sort -u; grep -vE '^using [A-Za-z.]+;$' "$work/snippets.cs"; } > "$app/Program.cs"
(cd "$app" && dotnet build -c Release) > "$work/consumer.log" 2>&1 || { cat "$work/consumer.log"; fail "the consumer app does not build (the README's examples do not compile)"; }
run="$work/run"
mkdir -p "$run/src-tree"
cp "$repo/examples/hello.patch" "$run/fix.patch"
printf 'Hello,\nworld\ngoodbye.\n' > "$run/src-tree/greeting.txt"
(cd "$run" && dotnet "$app/bin/Release/net10.0/Consumer.dll") > "$work/out.txt" 2>&1 || { cat "$work/out.txt"; fail "the consumer app failed"; }
grep -q "greeting.txt: applied" "$work/out.txt" || { cat "$work/out.txt"; fail "the README's apply example did not apply hello.patch"; }
grep -q "^written" "$work/out.txt" || fail "the README's apply example did not commit"
[ "$(cat "$run/src-tree/greeting.txt")" = "$(printf 'Hello,\nPatchKit\nand friends\ngoodbye.')" ] || fail "greeting.txt was not patched"
[ -x "$run/src-tree/tools/run.sh" ] || fail "tools/run.sh was not created executable"
grep -q "^+PatchKit" "$work/out.txt" || fail "the README's diff example printed no diff"
echo "   the README's examples compile and run: parse, apply (hello.patch), create"
# The dependencies the consumer resolved are the package's floors: PatchKit raises nothing in the host app.
assets="$app/obj/project.assets.json"
for dep in Microsoft.Extensions.Logging.Abstractions System.IO.Abstractions System.IO.Hashing; do
  asked=$(unzip -p "$lib" PatchKit.nuspec | sed -n "s:.*<dependency id=\"$dep\" version=\"\([^\"]*\)\".*:\1:p")
  grep -q "\"$dep/$asked\"" "$assets" || fail "the consumer resolved $dep above the package's $asked"
  echo "   $dep $asked"
done

step "the tool: dotnet tool install PatchKit.Tool"
(cd "$work" && dotnet tool install PatchKit.Tool --tool-path "$work/tools" --add-source "$feed" --version "$version" --configfile "$app/nuget.config") > "$work/tool.log" 2>&1 \
  || { cat "$work/tool.log"; fail "dotnet tool install PatchKit.Tool"; }
"$work/tools/patchkit" --version | grep -q "^patchkit $version" || fail "patchkit --version"
"$work/tools/patchkit" stat "$repo/examples/hello.patch" | grep -q "greeting.txt" || fail "patchkit stat"
set +e
err=$(cd "$work" && "$work/tools/patchkit" stat no-such.patch 2>&1); code=$?
set -e
[ "$code" = 2 ] || fail "patchkit stat no-such.patch exited $code, not 2"
grep -qF "the patch file 'no-such.patch' does not exist" <<< "$err" || fail "installed tool's error: $err"
grep -qE '[A-Z][A-Za-z]*_[A-Za-z_]+' <<< "$err" && fail "installed tool prints a resource key: $err"
echo "   patchkit $version installs, runs, and prints errors as sentences"
echo "pack-check: OK"
