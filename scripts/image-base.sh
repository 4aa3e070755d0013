#!/usr/bin/env bash
# Builds a local "slim Node on Debian bookworm" base image without a
# registry: debootstrap a minimal bookworm root, put this machine's Node
# (v22+, Debian's own nodejs is v18) and npm into /usr/local like the
# official node:24-bookworm-slim image, and import it into buildah storage.
#
# The result is cached in buildah storage under $FACEREAD_IMAGE_CACHE
# (default /var/tmp/faceread-image-cache), keyed by the Node version and this
# recipe's revision, so later runs reuse it in a second.
#
#   scripts/image-base.sh            # prints the base image name on stdout
#
# Exit status 3 when debootstrap fails (usually: no Debian mirror reachable).
# Needs root, buildah and debootstrap (apt-get install -y buildah debootstrap).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=image-common.sh
. "$here/image-common.sh"

RECIPE=1
node_bin="$(command -v node)"
node_version="$("$node_bin" -p 'process.versions.node')"
case "$node_version" in
  2[2-9].*|[3-9][0-9].*) ;;
  *) echo "image-base: FaceRead needs Node >= 22; this machine has $node_version" >&2; exit 1 ;;
esac
base="localhost/faceread-base:bookworm-node${node_version}-r${RECIPE}"

if bah inspect --type image "$base" >/dev/null 2>&1; then
  log "base image $base is cached"
  echo "$base"
  exit 0
fi

npm_dir="$(cd "$(dirname "$(readlink -f "$(command -v npm)")")/.." && pwd)"
[ -f "$npm_dir/package.json" ] || { echo "image-base: npm not found next to $(command -v npm)" >&2; exit 1; }
mirror="${FACEREAD_DEBIAN_MIRROR:-http://deb.debian.org/debian}"

work="$CACHE_DIR/base-build"
rm -rf "$work"
mkdir -p "$work"
rootfs="$work/rootfs"
started=$SECONDS
log "debootstrap --variant=minbase bookworm from $mirror (a few minutes, once)"
debootstrap --variant=minbase bookworm "$rootfs" "$mirror" >"$work/debootstrap.log" 2>&1 \
  || { tail -20 "$work/debootstrap.log" >&2; echo "image-base: debootstrap failed (log: $work/debootstrap.log)" >&2; exit 3; }

# Slim it the way Debian's *-slim images are: no package caches, docs, man pages or locales.
rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/cache/apt/*.bin "$rootfs"/var/lib/apt/lists/* \
  "$rootfs"/usr/share/doc/* "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/* "$rootfs"/usr/share/locale/* \
  "$rootfs"/var/log/* "$rootfs"/tmp/* 2>/dev/null || true

# Node and npm where the official node images keep them.
install -D -m 0755 "$node_bin" "$rootfs/usr/local/bin/node"
mkdir -p "$rootfs/usr/local/lib/node_modules"
cp -a "$npm_dir" "$rootfs/usr/local/lib/node_modules/npm"
ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$rootfs/usr/local/bin/npm"
ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$rootfs/usr/local/bin/npx"
chroot "$rootfs" /usr/local/bin/node -e 'process.exit(0)' \
  || { echo "image-base: the copied node does not run inside the bookworm root (missing libraries?)" >&2; exit 1; }

# A tar keeps owners, modes and links exactly; `buildah add` unpacks it into the empty image.
tar -C "$rootfs" --numeric-owner -cf "$work/rootfs.tar" .
ctr="$(bah from scratch)"
trap 'bah rm "$ctr" >/dev/null 2>&1 || true' EXIT
bah add "$ctr" "$work/rootfs.tar" / >/dev/null
bah config \
  --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
  --env NODE_VERSION="$node_version" \
  --cmd node \
  --label org.opencontainers.image.description="Debian bookworm (minbase) with Node $node_version, built locally by faceread scripts/image-base.sh" \
  "$ctr"
bah commit --quiet "$ctr" "$base" >/dev/null
rm -rf "$work"
log "base image $base built in $((SECONDS - started)) s"
echo "$base"
