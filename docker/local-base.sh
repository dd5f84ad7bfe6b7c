#!/usr/bin/env bash
# Makes local JDK and JRE base images from this machine's JDK 21+, for building the Dockerfile where no image
# registry is reachable (eclipse-temurin cannot be pulled). Debian bookworm (debootstrap minbase, from the Debian
# mirror) plus the JDK under /opt/java/openjdk, as in the Temurin images; the JRE is a jlink of that JDK without
# its development tools.
#
#   docker/local-base.sh [ENGINE]        # ENGINE: podman (default) or docker; needs root for debootstrap
#
# Prints the two image names; build with them:
#   podman build --build-arg JDK_IMAGE=localhost/janus-jdk-local --build-arg JRE_IMAGE=localhost/janus-jre-local ...
# Set PODMAN_RUNTIME to an OCI runtime to pass to podman as --runtime (where the default runtime cannot run here).
set -euo pipefail
cd "$(dirname "$0")/.."
source .ci/find-jdk.sh

engine=${1:-podman}
cmd=("$engine")
[[ $engine == podman && -n ${PODMAN_RUNTIME:-} ]] && cmd+=(--runtime "$PODMAN_RUNTIME")
jdk_image=localhost/janus-jdk-local
jre_image=localhost/janus-jre-local

if "${cmd[@]}" image inspect "$jdk_image" >/dev/null 2>&1 && "${cmd[@]}" image inspect "$jre_image" >/dev/null 2>&1; then
  echo "$jdk_image $jre_image"
  exit 0
fi
command -v debootstrap >/dev/null || { echo "local-base.sh: needs debootstrap (apt-get install debootstrap)" >&2; exit 1; }

work=$(mktemp -d /var/tmp/janus-base.XXXXXX)
trap 'rm -rf "$work"' EXIT
echo "local-base.sh: debootstrap bookworm (a few minutes) ..." >&2
# libssl3: libcrypto 3, which HPKE's X25519 calls on Java 22+ (as the Temurin images have it).
debootstrap --variant=minbase --include=libssl3 bookworm "$work/root" http://deb.debian.org/debian >"$work/debootstrap.log" 2>&1 \
  || { tail -20 "$work/debootstrap.log" >&2; exit 1; }
# Package caches and lists only make the image bigger.
rm -rf "$work/root/var/cache/apt/archives/"*.deb "$work/root/var/lib/apt/lists/"*

# The machine's resolved trust store: a JDK's own cacerts may be a symlink into /etc that the image lacks.
cacerts=$(readlink -f "$JAVA_HOME/lib/security/cacerts")
[[ -f /etc/ssl/certs/java/cacerts ]] && cacerts=/etc/ssl/certs/java/cacerts

import() {  # import ROOTFS IMAGE
  tar -C "$1" -c . | "${cmd[@]}" import \
    --change 'ENV JAVA_HOME=/opt/java/openjdk' \
    --change 'ENV PATH=/opt/java/openjdk/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV LANG=C.UTF-8' \
    --change 'CMD ["/bin/bash"]' - "$2" >"$work/import.log" 2>&1 || { cat "$work/import.log" >&2; exit 1; }
}

mkdir -p "$work/root/opt/java"
cp -a "$JAVA_HOME" "$work/root/opt/java/openjdk"
rm -f "$work/root/opt/java/openjdk/lib/security/cacerts"
cp "$cacerts" "$work/root/opt/java/openjdk/lib/security/cacerts"
import "$work/root" "$jdk_image"

# A JRE: every module of the JDK except the development tools, as Temurin's JRE images are made.
modules=$("$JAVA_HOME/bin/java" --list-modules | sed 's/@.*//' \
  | grep -Ev '^jdk\.incubator\.|^jdk\.(compiler|javadoc|jshell|jlink|jpackage|jdeps|jdi|jdwp\.agent|hotspot\.agent|jartool|jstatd|editpad|internal\.(ed|le|opt|md)|jconsole|random)$' \
  | paste -sd,)
rm -rf "$work/root/opt/java/openjdk"
"$JAVA_HOME/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files \
  --output "$work/root/opt/java/openjdk"
rm -f "$work/root/opt/java/openjdk/lib/security/cacerts"
cp "$cacerts" "$work/root/opt/java/openjdk/lib/security/cacerts"
import "$work/root" "$jre_image"
echo "$jdk_image $jre_image"
