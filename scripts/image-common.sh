# Shared settings of the image scripts (sourced, not run).
# buildah keeps its own storage under the cache folder, with the vfs driver
# (no overlay or fuse needed) and chroot isolation (no user namespaces), so
# it works inside an unprivileged VM or container as root.
CACHE_DIR="${FACEREAD_IMAGE_CACHE:-/var/tmp/faceread-image-cache}"
mkdir -p "$CACHE_DIR"
export BUILDAH_ISOLATION=chroot
export STORAGE_DRIVER=vfs

log() { echo "image: $*" >&2; }

BAH=(buildah --root "$CACHE_DIR/storage" --runroot "$CACHE_DIR/run" --storage-driver vfs)
bah() { "${BAH[@]}" "$@"; }
