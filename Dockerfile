# syntax=docker/dockerfile:1
#
# One image per janus-java binary, picked with the BINARY build argument:
#
#   docker build --build-arg BINARY=aggregator -t janus-java/aggregator .
#   docker buildx bake            # every binary; see docker-bake.hcl
#
# BINARY is one of: aggregator, aggregation_job_creator, aggregation_job_driver, collection_job_driver,
# garbage_collector, key_rotator, janus_cli, interop_client, interop_aggregator, interop_collector.
# Services build the default target (`service`, with a HEALTHCHECK on /healthz); janus_cli and the interop
# binaries build the `tool` target, which has none.
#
# Every image runs as an unprivileged user. Configuration comes in as in any janus deployment: mount the YAML file
# and set CONFIG_FILE (or pass --config-file), DATASTORE_KEYS and PGPASSWORD (see docs/DEPLOYING.md).

# Java 22+ and the base's libcrypto 3 put HPKE's X25519 on OpenSSL (docs/DEPLOYING.md, "HPKE speed"); on a Java 21
# base the binaries run, with BouncyCastle's X25519.
ARG JDK_IMAGE=eclipse-temurin:25-jdk-noble
ARG JRE_IMAGE=eclipse-temurin:25-jre-noble

# ---- build: compile every module once; all images share this stage --------------------------------------------
FROM ${JDK_IMAGE} AS build
WORKDIR /src
COPY . .
# The Maven repository is a cache mount: dependencies download once per builder, not once per source change.
# Each binary's module ends up with its jar in target/ and its runtime dependencies (sibling modules included) in
# target/lib; -pl leaves out what no image ships (benchmarks, integration tests, the quickstart).
RUN --mount=type=cache,target=/root/.m2 \
    ./mvnw -B -q -DskipTests package dependency:copy-dependencies \
      -DincludeScope=runtime -DoutputDirectory=target/lib \
      -pl aggregator,aggregation-job-creator,aggregation-job-driver,collection-job-driver,garbage-collector,key-rotator,janus-cli,interop -am

# ---- stage: lay out one binary as /app/lib/*.jar plus a launcher ----------------------------------------------
FROM build AS stage
ARG BINARY=aggregator
RUN set -eu; \
    case "$BINARY" in \
      aggregator)              module=aggregator;              main=io.janus.aggregator.Main ;; \
      aggregation_job_creator) module=aggregation-job-creator; main=io.janus.aggregationjobcreator.Main ;; \
      aggregation_job_driver)  module=aggregation-job-driver;  main=io.janus.aggregationjobdriver.Main ;; \
      collection_job_driver)   module=collection-job-driver;   main=io.janus.collectionjobdriver.Main ;; \
      garbage_collector)       module=garbage-collector;       main=io.janus.garbagecollector.Main ;; \
      key_rotator)             module=key-rotator;             main=io.janus.keyrotator.Main ;; \
      janus_cli)               module=janus-cli;               main=io.janus.cli.JanusCli ;; \
      interop_client)          module=interop;                 main=io.janus.interop.InteropClientMain ;; \
      interop_aggregator)      module=interop;                 main=io.janus.interop.InteropAggregatorMain ;; \
      interop_collector)       module=interop;                 main=io.janus.interop.InteropCollectorMain ;; \
      *) echo "unknown BINARY '$BINARY' (see the list at the top of the Dockerfile)" >&2; exit 1 ;; \
    esac; \
    mkdir -p /app/lib /app/bin; \
    cp "$module"/target/lib/*.jar /app/lib/; \
    for jar in "$module"/target/*.jar; do \
      case "$jar" in *-tests.jar|*-sources.jar|*-javadoc.jar) ;; *) cp "$jar" /app/lib/ ;; esac; \
    done; \
    printf '#!/bin/sh\n# Runs %s; JAVA_OPTS adds JVM options.\nexec java --enable-native-access=ALL-UNNAMED $JAVA_OPTS -cp "/app/lib/*" %s "$@"\n' \
      "$BINARY" "$main" > /app/bin/run; \
    chmod 0755 /app/bin/run

# ---- tool: the runtime image without a health check (janus_cli, interop binaries) -----------------------------
FROM ${JRE_IMAGE} AS tool
ARG BINARY=aggregator
LABEL org.opencontainers.image.title="janus-java ${BINARY}" \
      org.opencontainers.image.description="janus-java: a DAP (draft-ietf-ppm-dap-09) aggregator suite"
RUN groupadd --system --gid 10001 janus \
 && useradd --system --uid 10001 --gid janus --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin janus
COPY --from=stage /app /app
# The heap may take 25% of the container's memory limit: 128 MiB in the 512 MiB that docs/DEPLOYING.md sizes the
# services for, which keeps every binary's resident set under 256 MiB under load (MemoryUnderLoadTest, image-test.sh);
# beside the heap a binary keeps at most 160 MiB. A larger share lets the heap, and the resident set, grow with the
# allocation rate rather than with need. Override or extend with JAVA_OPTS.
ENV JAVA_OPTS="-XX:MaxRAMPercentage=25 -XX:+ExitOnOutOfMemoryError"
USER 10001:10001
WORKDIR /app
# exec form, and the launcher execs java: the JVM is PID 1 and gets SIGTERM for a graceful stop.
ENTRYPOINT ["/app/bin/run"]

# ---- service: long-running binaries, with a health check (the default target) ---------------------------------
FROM tool AS service
# Healthy when GET /healthz answers 200. A file, not a heredoc: Buildah (podman build) has no BuildKit heredocs.
COPY --chmod=0755 docker/healthcheck /app/bin/healthcheck
# Must match the port of health_check_listen_address in the binary's configuration.
ENV HEALTH_CHECK_PORT=9001
# 8080: the aggregator's DAP API (listen_address); 9001: /healthz; 9464: /metrics (Prometheus), as in samples/.
EXPOSE 8080 9001 9464
HEALTHCHECK --interval=10s --timeout=6s --start-period=30s --retries=3 CMD ["/app/bin/healthcheck"]
