#!/usr/bin/env bash
# Validates the manifests here against the Kubernetes OpenAPI schemas, offline: kubernetes-validate (PyPI) bundles
# the schemas of each Kubernetes release, so nothing is downloaded at run time. Strict mode rejects unknown fields.
#
#   deploy/kubernetes/validate.sh                    # against Kubernetes 1.30 (KUBERNETES_VERSION to change)
#
# The first run installs kubernetes-validate into a virtualenv under ~/.cache (needs python3 and PyPI).
# kustomization.yaml is kustomize's own file, not a Kubernetes resource, so it is left out.
set -euo pipefail
cd "$(dirname "$0")"
version=1.37.0
venv=${XDG_CACHE_HOME:-$HOME/.cache}/janus-kubernetes-validate-$version
if [[ ! -x $venv/bin/kubernetes-validate ]]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q "kubernetes-validate==$version"
fi
files=()
for f in *.yaml; do [[ $f == kustomization.yaml ]] || files+=("$f"); done
"$venv/bin/kubernetes-validate" --strict -k "${KUBERNETES_VERSION:-1.30.0}" "${files[@]}"
