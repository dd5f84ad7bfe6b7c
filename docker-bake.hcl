# Builds one image per janus-java binary from the one Dockerfile:
#
#   docker buildx bake                   # the services and janus_cli
#   docker buildx bake interop           # the interop test binaries
#   docker buildx bake all
#   REGISTRY=ghcr.io/example TAG=0.1.0 docker buildx bake --push
#
# Buildah (podman build) does not read this file: README.md shows the podman commands, and docker/image-test.sh
# builds the default group's images with either engine.
#
# All targets share the Dockerfile's build stage, so the Maven build runs once per bake.

variable "REGISTRY" {
  default = "janus-java"
}

variable "TAG" {
  default = "latest"
}

# The base images, as in the Dockerfile's JDK_IMAGE and JRE_IMAGE build arguments; docker/local-base.sh makes local
# ones where no registry is reachable.
variable "JDK_IMAGE" {
  default = "eclipse-temurin:25-jdk-noble"
}

variable "JRE_IMAGE" {
  default = "eclipse-temurin:25-jre-noble"
}

group "default" {
  targets = ["aggregator", "aggregation_job_creator", "aggregation_job_driver", "collection_job_driver",
             "garbage_collector", "key_rotator", "janus_cli"]
}

group "interop" {
  targets = ["janus_interop_client", "janus_interop_aggregator", "janus_interop_collector"]
}

group "all" {
  targets = ["default", "interop"]
}

# Long-running binaries: the `service` target, with a HEALTHCHECK on /healthz.
target "_service" {
  context    = "."
  dockerfile = "Dockerfile"
  target     = "service"
  args       = { JDK_IMAGE = "${JDK_IMAGE}", JRE_IMAGE = "${JRE_IMAGE}" }
}

# One-shot tools and interop binaries: the `tool` target, without a health check.
target "_tool" {
  context    = "."
  dockerfile = "Dockerfile"
  target     = "tool"
  args       = { JDK_IMAGE = "${JDK_IMAGE}", JRE_IMAGE = "${JRE_IMAGE}" }
}

target "aggregator" {
  inherits = ["_service"]
  args     = { BINARY = "aggregator" }
  tags     = ["${REGISTRY}/aggregator:${TAG}"]
}

target "aggregation_job_creator" {
  inherits = ["_service"]
  args     = { BINARY = "aggregation_job_creator" }
  tags     = ["${REGISTRY}/aggregation_job_creator:${TAG}"]
}

target "aggregation_job_driver" {
  inherits = ["_service"]
  args     = { BINARY = "aggregation_job_driver" }
  tags     = ["${REGISTRY}/aggregation_job_driver:${TAG}"]
}

target "collection_job_driver" {
  inherits = ["_service"]
  args     = { BINARY = "collection_job_driver" }
  tags     = ["${REGISTRY}/collection_job_driver:${TAG}"]
}

target "garbage_collector" {
  inherits = ["_service"]
  args     = { BINARY = "garbage_collector" }
  tags     = ["${REGISTRY}/garbage_collector:${TAG}"]
}

target "key_rotator" {
  inherits = ["_service"]
  args     = { BINARY = "key_rotator" }
  tags     = ["${REGISTRY}/key_rotator:${TAG}"]
}

target "janus_cli" {
  inherits = ["_tool"]
  args     = { BINARY = "janus_cli" }
  tags     = ["${REGISTRY}/janus_cli:${TAG}"]
}

# The interop test design's three containers (draft-dcook-ppm-dap-interop-test-design), each serving its
# test API on port 8080.
target "janus_interop_client" {
  inherits = ["_tool"]
  args     = { BINARY = "interop_client" }
  tags     = ["${REGISTRY}/janus_interop_client:${TAG}"]
}

target "janus_interop_aggregator" {
  inherits = ["_tool"]
  args     = { BINARY = "interop_aggregator" }
  tags     = ["${REGISTRY}/janus_interop_aggregator:${TAG}"]
}

target "janus_interop_collector" {
  inherits = ["_tool"]
  args     = { BINARY = "interop_collector" }
  tags     = ["${REGISTRY}/janus_interop_collector:${TAG}"]
}
