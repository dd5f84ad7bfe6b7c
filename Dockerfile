# syntax=docker/dockerfile:1
#
# One image per janus-java binary, picked with the BINARY build argument:
#
#   docker build --build-arg BINARY=aggregator -t janus-java/aggregator .
#   docker buildx bake            # every binary; see docker-bake.hcl
#
# BINARY is one of: aggregator, aggregation_job_creator, aggregation_job_driver, collection_job_driver,
# garbage_collector, janus_cli, interop_client, interop_aggregator, interop_collector.
# Services build the default target (`service`, with a HEALTHCHECK on /healthz); janus_cli and the interop
# binaries build the `tool` target, which has none.
#
# Every image runs as an unprivileged user. Configuration comes in as in any janus deployment: mount the YAML file
# and set CONFIG_FILE (or pass --config-file), DATASTORE_KEYS and PGPASSWORD (see docs/DEPLOYING.md).

ARG JDK_IMAGE=eclipse-temurin:21-jdk-noble
ARG JRE_IMAGE=eclipse-temurin:21-jre-noble

# ---- build: compile every module once; all images share this stage --------------------------------------------
FROM ${JDK_IMAGE} AS build
WORKDIR /src
COPY . .
# The Maven repository is a cache mount: dependencies download once per builder, not once per source change.
# Each module ends up with its jar in target/ and its runtime dependencies (sibling modules included) in target/lib.
RUN --mount=type=cache,target=/root/.m2 \
    ./mvnw -B -q -DskipTests package dependency:copy-dependencies \
      -DincludeScope=runtime -DoutputDirectory=target/lib

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
# Container-friendly heap sizing; override or extend with JAVA_OPTS.
ENV JAVA_OPTS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
USER 10001:10001
WORKDIR /app
# exec form, and the launcher execs java: the JVM is PID 1 and gets SIGTERM for a graceful stop.
ENTRYPOINT ["/app/bin/run"]

# ---- service: long-running binaries, with a health check (the default target) ---------------------------------
FROM tool AS service
# Healthy when GET /healthz answers 200. Plain bash, because the JRE image has no curl or wget.
COPY --chmod=0755 <<'EOF' /app/bin/healthcheck
#!/bin/bash
exec 3<>"/dev/tcp/127.0.0.1/${HEALTH_CHECK_PORT:-9001}" || exit 1
printf 'GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n' >&3
read -r -t 5 _ status _ <&3 && [ "$status" = 200 ]
EOF
# Must match the port of health_check_listen_address in the binary's configuration.
ENV HEALTH_CHECK_PORT=9001
# 8080: the aggregator's DAP API (listen_address); 9001: /healthz; 9464: /metrics (Prometheus), as in samples/.
EXPOSE 8080 9001 9464
HEALTHCHECK --interval=10s --timeout=6s --start-period=30s --retries=3 CMD ["/app/bin/healthcheck"]
