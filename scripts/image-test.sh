#!/usr/bin/env bash
# npm run image:test — builds the Containerfile with buildah on a base image
# made here from Debian packages (scripts/image-base.sh), then runs the image
# and checks it: non-root, ready without converting, /readyz, the health
# check, one analysis of face-api's sample1.jpg (3 faces), a clean exit on
# SIGTERM, and the model volume (seeded when empty, imported models kept,
# read-only fallback). Prints the image size, the time from container start
# to ready and the analysis time.
#
# Skips (exit 0, "image-test: SKIPPED: why") where buildah cannot work: not
# Linux, not root, no buildah/debootstrap, no Debian mirror. Any failure of
# the image itself exits 1. Bounded: FACEREAD_IMAGE_TEST_LIMIT seconds in all
# (default 900). Environment:
#   FACEREAD_IMAGE_CACHE    buildah storage and base cache (/var/tmp/faceread-image-cache)
#   FACEREAD_IMAGE_BASE     use this base image instead of building one
#   FACEREAD_IMAGE_CONTEXT  build context (default: this checkout)
#   FACEREAD_IMAGE_TAG      image name (default localhost/faceread:test)
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$(pwd)"

skip() { echo "image-test: SKIPPED: $*"; exit 0; }
[ "$(uname -s)" = Linux ] || skip "needs Linux (buildah)"
[ "$(id -u)" = 0 ] || skip "needs root (buildah with chroot isolation and vfs storage)"
command -v buildah >/dev/null || skip "buildah is not installed (apt-get install -y buildah debootstrap)"
[ -n "${FACEREAD_IMAGE_BASE:-}" ] || command -v debootstrap >/dev/null || skip "debootstrap is not installed (apt-get install -y debootstrap)"
sample="$repo/node_modules/@vladmandic/face-api/demo/sample1.jpg"
[ -f "$sample" ] || skip "$sample is missing: run npm ci first"

# shellcheck source=image-common.sh
. scripts/image-common.sh
IMAGE="${FACEREAD_IMAGE_TAG:-localhost/faceread:test}"
deadline=$((SECONDS + ${FACEREAD_IMAGE_TEST_LIMIT:-900}))
remaining() { local left=$((deadline - SECONDS)); [ "$left" -gt 0 ] && echo "$left" || echo 1; }
logs="$(mktemp -d /tmp/faceread-image-test.XXXXXX)"
passed=0
ok() { passed=$((passed + 1)); echo "image-test: ok - $*"; }
die() {
  echo "image-test: FAILED - $*" >&2
  echo "image-test: logs in $logs" >&2
  echo "image-test: $passed passed, 1 failed"
  exit 1
}

ctr=""
run_pid=""
cleanup() {
  if [ -n "$run_pid" ] && kill -0 "$run_pid" 2>/dev/null; then kill -KILL "$run_pid" 2>/dev/null || true; wait "$run_pid" 2>/dev/null || true; fi
  [ -z "$ctr" ] || bah rm "$ctr" >/dev/null 2>&1 || true
}
trap cleanup EXIT

# One run at a time on this machine's image cache; then clear containers an
# interrupted run may have left in it (the storage is this script's own).
exec 9>"$CACHE_DIR/image-test.lock"
flock -w "$(remaining)" 9 || die "another image test held $CACHE_DIR/image-test.lock for too long"
bah rm --all >/dev/null 2>&1 || true

# Can buildah make containers here at all?
probe="$(bah from scratch 2>"$logs/probe.log")" || skip "buildah cannot create containers here: $(tail -1 "$logs/probe.log")"
bah rm "$probe" >/dev/null

# ---- base image ------------------------------------------------------------------
started=$SECONDS
if [ -n "${FACEREAD_IMAGE_BASE:-}" ]; then
  base="$FACEREAD_IMAGE_BASE"
else
  set +e
  base="$(timeout "$(remaining)" scripts/image-base.sh 2> >(tee "$logs/base.log" >&2))"
  rc=$?
  set -e
  [ "$rc" != 3 ] || skip "debootstrap could not fetch Debian bookworm (no mirror reachable?); see $logs/base.log"
  [ "$rc" = 0 ] || die "building the base image failed (exit $rc); see $logs/base.log"
fi
probe="$(bah from --pull-never "$base")"
if ! bah run --network host "$probe" -- node -e '' >"$logs/probe-run.log" 2>&1; then
  bah rm "$probe" >/dev/null 2>&1 || true
  skip "buildah run --isolation chroot does not work here: $(tail -1 "$logs/probe-run.log")"
fi
bah rm "$probe" >/dev/null
base_s=$((SECONDS - started))

# ---- build -------------------------------------------------------------------------
context="${FACEREAD_IMAGE_CONTEXT:-$repo}"
build=(--format docker --network host --build-arg "BASE_IMAGE=$base" -f "$repo/Containerfile" -t "$IMAGE")
# npm inside the build uses this machine's npm cache (warm after `npm ci`),
# and the machine's extra CA file where npm's registry is reached through a TLS proxy.
mkdir -p "$HOME/.npm"
build+=(-v "$HOME/.npm:/root/.npm")
if [ -n "${NODE_EXTRA_CA_CERTS:-}" ] && [ -f "$NODE_EXTRA_CA_CERTS" ]; then
  build+=(-v "$NODE_EXTRA_CA_CERTS:/run/faceread-build-ca.crt:ro" --build-arg NODE_EXTRA_CA_CERTS=/run/faceread-build-ca.crt)
fi
bah rmi --prune >/dev/null 2>&1 || true
echo "image-test: building $IMAGE from $context on $base (log: $logs/build.log)"
started=$SECONDS
timeout "$(remaining)" "${BAH[@]}" bud "${build[@]}" "$context" >"$logs/build.log" 2>&1 \
  || { tail -30 "$logs/build.log" >&2; die "the image build failed or ran out of time"; }
build_s=$((SECONDS - started))
bah rmi --prune >/dev/null 2>&1 || true
size="$(bah images --format '{{.Size}}' "$IMAGE" | head -1)"
ok "built $IMAGE in ${build_s} s: $size"

# ---- image configuration -------------------------------------------------------------
bah inspect --type image "$IMAGE" >"$logs/inspect.json"
node - "$logs/inspect.json" <<'EOF' || die "the image configuration is not as designed (see above)"
const config = JSON.parse(require('node:fs').readFileSync(process.argv[2], 'utf8')).Docker.config;
const problems = [];
if (!config.User || /^(root|0)(:|$)/.test(config.User)) problems.push(`runs as "${config.User}", not a non-root user`);
if (!config.ExposedPorts?.['8080/tcp'] || Object.keys(config.ExposedPorts).length !== 1) problems.push(`exposes ${JSON.stringify(config.ExposedPorts)}, not just 8080/tcp`);
if (!config.Healthcheck?.Test?.join(' ').includes('healthcheck.mjs')) problems.push('has no HEALTHCHECK');
if (!config.Volumes?.['/var/lib/faceread/models']) problems.push('does not declare the model store volume');
if (!config.Env?.includes('PORT=8080')) problems.push('PORT is not 8080');
if (problems.length) { console.error(problems.join('\n')); process.exit(1); }
EOF
mapfile -t entry < <(node -e 'const c = JSON.parse(require("node:fs").readFileSync(process.argv[1], "utf8")).Docker.config; for (const a of [...(c.Entrypoint ?? []), ...(c.Cmd ?? [])]) console.log(a)' "$logs/inspect.json")
ok "non-root user, one port (8080), HEALTHCHECK, volume /var/lib/faceread/models, entry point: ${entry[*]}"

# ---- running it ------------------------------------------------------------------------
ctr="$(bah from --pull-never --name "faceread-image-test-$$" "$IMAGE")"
free_port() { node -e 'const s = require("node:net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })'; }
descendants() { local child; for child in $(ps -o pid= --ppid "$1"); do echo "$child"; descendants "$child"; done; }

# start NAME [buildah run options]: runs the image's entry point; sets run_pid, url, log, ready_ms.
start() {
  local name="$1"
  shift
  local port
  port="$(free_port)"
  url="http://127.0.0.1:$port"
  log="$logs/$name.log"
  local t0
  t0="$(date +%s%3N)"
  "${BAH[@]}" run --network host --env "PORT=$port" "$@" "$ctr" -- "${entry[@]}" >"$log" 2>&1 &
  run_pid=$!
  ready_ms="$(node scripts/image-smoke.mjs ready "$url" "$t0" 30000)" || { tail -20 "$log" >&2; die "$name: not ready within 30 s"; }
  if grep -q 'converting' "$log"; then die "$name: the container converted models at start (they should be built in)"; fi
}

# server_pid: the node process of the running container (chroot isolation: no PID namespace).
server_pid() {
  local pid
  for pid in $(descendants "$run_pid"); do
    # By its executable: Node 24 names its main thread (comm) "MainThread", not "node".
    case "$(readlink "/proc/$pid/exe" 2>/dev/null)" in */node) echo "$pid"; return 0 ;; esac
  done
  return 0
}

# stop NAME: SIGTERM to the server process (as `docker stop` does); it must exit 0 within 20 s.
stop() {
  local name="$1" server rc=0
  server="$(server_pid)"
  [ -n "$server" ] || die "$name: the server process was not found"
  kill -TERM "$server"
  timeout 20 tail --pid="$run_pid" -f /dev/null || kill -KILL "$run_pid" 2>/dev/null || true
  wait "$run_pid" || rc=$?
  run_pid=""
  [ "$rc" = 0 ] || { tail -5 "$log" >&2; die "$name: exit status $rc after SIGTERM (want 0 within 20 s)"; }
  grep -q 'SIGTERM' "$log" || die "$name: the log does not show the SIGTERM shutdown"
}

# 1. A fresh container: built-in models copied into the store, ready, one analysis.
start first
first_ms="$ready_ms"
grep -q 'copied [0-9]* built-in model' "$log" || die "first: the built-in models were not copied into the store"
! grep -qi 'telemetry' "$log" || die "first: onnxruntime telemetry is on (ORT_DISABLE_TELEMETRY)"
ok "first start: ready ${first_ms} ms after \`buildah run\` (models copied into the store, none converted, no telemetry)"
uid="$(stat -c %u "/proc/$(server_pid)")"
[ "$uid" != 0 ] || die "the server runs as root"
ok "the server runs as uid $uid"
bah run --network host --env "PORT=${url##*:}" "$ctr" -- node /app/image/healthcheck.mjs || die "the HEALTHCHECK command fails on a running container"
ok "HEALTHCHECK command passes"
analysis="$(node scripts/image-smoke.mjs analyze "$url" "$sample" 3)" || die "analysis of sample1.jpg failed"
ok "POST /api/analyze sample1.jpg (first): $analysis"
again="$(node scripts/image-smoke.mjs analyze "$url" "$sample" 3)" || die "second analysis of sample1.jpg failed"
ok "POST /api/analyze sample1.jpg (second): $again"
stop first
ok "SIGTERM: finished and exited 0"

# 2. The same container again (a restart): the store is up to date, nothing copied.
start restart
restart_ms="$ready_ms"
! grep -q 'copied' "$log" || die "restart: models were copied again"
stop restart
ok "restart: ready ${restart_ms} ms after start, nothing copied"

# 3. An empty volume over the store: seeded; an imported model in it is kept on the next start.
volume="$logs/volume"
mkdir -p "$volume"
chown 10001:10001 "$volume"
start volume-empty -v "$volume:/var/lib/faceread/models"
volume_ms="$ready_ms"
grep -q 'copied' "$log" || die "volume-empty: the built-in models were not copied into the empty volume"
stop volume-empty
node -e '
  const fs = require("node:fs"), file = process.argv[1] + "/manifest.json";
  const manifest = JSON.parse(fs.readFileSync(file, "utf8"));
  // As `faceread models import-caffe` leaves it: a model file, its entry and a saved profile.
  (manifest.imported ??= {})["imported-test"] = { file: "imported-test.onnx", sha256: "0" };
  (manifest.profiles ??= {})["imported-test"] = { detector: "imported-test", attributes: [] };
  fs.writeFileSync(process.argv[1] + "/imported-test.onnx", "test");
  fs.writeFileSync(file, JSON.stringify(manifest));' "$volume"
start volume-again -v "$volume:/var/lib/faceread/models"
! grep -q 'copied' "$log" || die "volume-again: models were copied again into an up-to-date volume"
stop volume-again
node -e '
  const m = JSON.parse(require("node:fs").readFileSync(process.argv[1] + "/manifest.json", "utf8"));
  process.exit(m.imported?.["imported-test"] && m.profiles?.["imported-test"] && Object.keys(m.models).length > 0 ? 0 : 1);' "$volume" \
  && [ -f "$volume/imported-test.onnx" ] || die "volume-again: the imported model's entry, profile or file was lost"
ok "empty volume seeded (ready ${volume_ms} ms), an imported model kept across restarts"

# 4. A volume the user cannot write: the built-in store is used read-only.
locked="$logs/locked"
mkdir -p "$locked"
chmod 755 "$locked"
start volume-readonly -v "$locked:/var/lib/faceread/models"
grep -q 'cannot be written' "$log" || die "volume-readonly: no note that the store is read-only"
stop volume-readonly
ok "unwritable volume: runs on the built-in models (ready ${ready_ms} ms) and says so"

bah rm "$ctr" >/dev/null
ctr=""
echo "image-test: summary: image $IMAGE $size (base ${base_s} s, build ${build_s} s); container start to /readyz 200: first ${first_ms} ms, restart ${restart_ms} ms; analysis of sample1.jpg (3 faces): first $analysis, second $again"
echo "image-test: the image stays in buildah storage: ${BAH[*]} images"
echo "image-test: $passed passed, 0 failed"
rm -rf "$logs"
