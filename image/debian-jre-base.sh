#!/usr/bin/env bash
# A minimal base image for the hub, assembled from the Debian JRE installed on this machine, without Docker or a
# registry: the files of the package openjdk-17-jre-headless, exactly the shared libraries ldd says its java binary and
# its .so files need (glibc, libstdc++, zlib ...) with the dynamic loader, CA certificates, and a non-root user.
# Written as a `docker save` tarball (one layer, config, manifest.json), which Jib takes as a base image:
# <from><image>tar:///abs/path/base.tar</image></from> (the pom's profile `image` does this).
#
#   image/debian-jre-base.sh [OUT]   OUT defaults to target/debian-jre-base.tar
#
# The image runs as hub (uid 1000); no shell, no package manager, Entrypoint unset (Jib sets the hub's).
set -euo pipefail

ROOT_DIR="$(cd "$(dirname "$0")/.." && pwd)"
OUT="${1:-$ROOT_DIR/target/debian-jre-base.tar}"
PACKAGE=openjdk-17-jre-headless
JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64
RUN_UID=1000
PATH_IN_IMAGE="$JAVA_HOME/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

dpkg -s "$PACKAGE" >/dev/null 2>&1 || { echo "$PACKAGE is not installed (apt-get install $PACKAGE)" >&2; exit 1; }
[ -x "$JAVA_HOME/bin/java" ] || { echo "$JAVA_HOME/bin/java missing" >&2; exit 1; }

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
FS="$WORK/rootfs"
mkdir -p "$FS"/usr/{bin,sbin,lib,lib64} "$FS"/etc "$FS"/home/hub
chmod 1777 "$(mkdir -p "$FS/tmp" && echo "$FS/tmp")"
# merged /usr, as Debian's own images
ln -s usr/bin "$FS/bin"; ln -s usr/sbin "$FS/sbin"; ln -s usr/lib "$FS/lib"; ln -s usr/lib64 "$FS/lib64"

# copy a file or symlink to the same path in the image, under the canonical directory (/lib/x -> /usr/lib/x)
place() {
  local src="$1" dir
  dir="$(realpath "$(dirname "$src")")"
  mkdir -p "$FS$dir"
  cp -a "$src" "$FS$dir/"
}

# 1. the JRE package's files (not its docs and man pages), symlinks kept (its conf links into /etc/java-17-openjdk)
while IFS= read -r f; do
  case "$f" in /usr/share/*|/usr/lib/debug/*) continue ;; esac
  if [ -L "$f" ] || [ -f "$f" ]; then place "$f"; fi
done < <(dpkg -L "$PACKAGE")

# 2. the shared libraries the java binary and the JRE's own libraries link against (ldd), and the loader
objects=("$JAVA_HOME/bin/java")
while IFS= read -r f; do objects+=("$f"); done < <(dpkg -L "$PACKAGE" | grep -E '\.so(\.[0-9]+)*$' | while read -r f; do [ -f "$f" ] && [ ! -L "$f" ] && echo "$f"; done)
libs="$WORK/libs"
for o in "${objects[@]}"; do
  ldd "$o" 2>/dev/null | awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\// {print $1}'
done | sort -u > "$libs"
while IFS= read -r lib; do
  case "$(realpath "$lib")" in "$JAVA_HOME"/*) continue ;; esac   # the JRE's own, already there
  place "$lib"
  [ -L "$lib" ] && place "$(realpath "$lib")"
done < "$libs"

# 3. CA certificates for Java (Debian's ca-certificates-java keystore, which the JRE's cacerts links to)
if [ -f /etc/ssl/certs/java/cacerts ]; then
  mkdir -p "$FS/etc/ssl/certs/java"
  cp /etc/ssl/certs/java/cacerts "$FS/etc/ssl/certs/java/cacerts"
else
  echo "warning: /etc/ssl/certs/java/cacerts missing (install ca-certificates-java): TLS calls will fail" >&2
fi

# 4. users, name lookup
printf 'root:x:0:0:root:/root:/usr/sbin/nologin\nhub:x:%s:%s:Castiel hub:/home/hub:/usr/sbin/nologin\n' "$RUN_UID" "$RUN_UID" > "$FS/etc/passwd"
printf 'root:x:0:\nhub:x:%s:\n' "$RUN_UID" > "$FS/etc/group"
printf 'passwd: files\ngroup: files\nhosts: files dns\n' > "$FS/etc/nsswitch.conf"

# every absolute symlink must point at a file in the image (else the image would lean on files it does not have)
while IFS= read -r link; do
  target="$(readlink "$link")"
  case "$target" in /*) [ -e "$FS$target" ] || [ -L "$FS$target" ] || {
    case "${link#$FS}" in "$JAVA_HOME"/docs) ;; *) echo "dangling in image: ${link#$FS} -> $target" >&2; exit 1 ;; esac; } ;;
  esac
done < <(find "$FS" -type l)

# 5. one layer (all root-owned, but the user's home), its config and the docker-save manifest
LAYER="$WORK/layer.tar"
common=(--sort=name --mtime=@0 --numeric-owner --format=posix --pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime)
tar -C "$FS" "${common[@]}" --owner=0 --group=0 --exclude=./home/hub -cf "$LAYER" .
tar -C "$FS" "${common[@]}" --owner="$RUN_UID" --group="$RUN_UID" -rf "$LAYER" ./home/hub
diff_id="$(sha256sum "$LAYER" | cut -d' ' -f1)"

IMG="$WORK/image"
mkdir -p "$IMG/$diff_id"
mv "$LAYER" "$IMG/$diff_id/layer.tar"
jq -n --arg diff "sha256:$diff_id" --arg path "$PATH_IN_IMAGE" --arg home "$JAVA_HOME" --arg user "$RUN_UID:$RUN_UID" \
  --arg by "image/debian-jre-base.sh: $PACKAGE $(dpkg-query -W -f='${Version}' "$PACKAGE")" '{
  architecture: "amd64", os: "linux", created: "1970-01-01T00:00:00Z",
  config: {User: $user, Env: ["PATH=\($path)", "JAVA_HOME=\($home)", "LANG=C.UTF-8"], WorkingDir: "/"},
  rootfs: {type: "layers", diff_ids: [$diff]},
  history: [{created: "1970-01-01T00:00:00Z", created_by: $by}]
}' > "$IMG/config.json"
config_id="$(sha256sum "$IMG/config.json" | cut -d' ' -f1)"
mv "$IMG/config.json" "$IMG/$config_id.json"
jq -n --arg config "$config_id.json" --arg layer "$diff_id/layer.tar" \
  '[{Config: $config, RepoTags: ["castiel/debian-jre-base:17"], Layers: [$layer]}]' > "$IMG/manifest.json"

mkdir -p "$(dirname "$OUT")"
# members named without a leading ./ (Jib refuses a "./" entry as outside its extraction directory)
tar -C "$IMG" --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -cf "$OUT.part" manifest.json "$config_id.json" "$diff_id"
mv "$OUT.part" "$OUT"
echo "$OUT: $PACKAGE, $(wc -l < "$libs") shared libraries, layer sha256:$diff_id ($(du -h "$IMG/$diff_id/layer.tar" | cut -f1))"
