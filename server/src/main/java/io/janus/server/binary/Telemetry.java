package io.janus.server.binary;

import io.janus.server.config.LoggingConfig;
import io.janus.server.config.MetricsConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporterBuilder;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Builds the metrics registry and the OpenTelemetry instance a binary's configuration asks for. */
final class Telemetry {
  /** The most time spent flushing spans at exit. */
  static final Duration SHUTDOWN_FLUSH = Duration.ofSeconds(5);

  private Telemetry() {}

  /** A Prometheus registry when an exporter is configured, else an in-memory one; JVM metrics bound either way. */
  static MeterRegistry meterRegistry(MetricsConfig config, Resources resources) {
    MeterRegistry registry = config.exporter().isPresent()
        ? new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)
        : new SimpleMeterRegistry();
    resources.add(registry::close);
    new ClassLoaderMetrics().bindTo(registry);
    new JvmMemoryMetrics().bindTo(registry);
    JvmGcMetrics gc = new JvmGcMetrics();
    gc.bindTo(registry);
    resources.add(gc::close);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    return registry;
  }

  /** The registry to scrape at {@code /metrics}, if the registry is a Prometheus one. */
  static Optional<PrometheusMeterRegistry> prometheus(MeterRegistry registry) {
    return registry instanceof PrometheusMeterRegistry p ? Optional.of(p) : Optional.empty();
  }

  /** An OTLP/gRPC-exporting SDK when an endpoint is configured, else the no-op implementation. */
  static OpenTelemetry openTelemetry(String serviceName, LoggingConfig config, Resources resources) {
    Optional<LoggingConfig.OtlpConfig> otlp = config.openTelemetryConfig().map(LoggingConfig.OpenTelemetryConfig::otlp);
    if (otlp.isEmpty()) {
      return OpenTelemetry.noop();
    }
    OtlpGrpcSpanExporterBuilder exporterBuilder = OtlpGrpcSpanExporter.builder().setEndpoint(otlp.get().endpoint());
    otlp.get().metadata().forEach(exporterBuilder::addHeader);
    OtlpGrpcSpanExporter exporter = exporterBuilder.build();
    Resource resource = Resource.getDefault()
        .merge(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), serviceName)));
    SdkTracerProvider tracerProvider = SdkTracerProvider.builder()
        .setResource(resource)
        .addSpanProcessor(BatchSpanProcessor.builder(exporter).build())
        .build();
    OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
        .setTracerProvider(tracerProvider)
        .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
        .build();
    // Flush buffered spans on the way out, but never let an unreachable collector hold up the exit for long:
    // the exporter's retries alone can take longer than a Kubernetes grace period.
    resources.add(() -> sdk.shutdown().join(SHUTDOWN_FLUSH.toMillis(), TimeUnit.MILLISECONDS));
    return sdk;
  }
}
