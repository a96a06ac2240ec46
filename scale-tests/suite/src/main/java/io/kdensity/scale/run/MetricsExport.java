package io.kdensity.scale.run;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.micrometer.registry.otlp.OtlpConfig;
import io.micrometer.registry.otlp.OtlpMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Where step metrics go: always an in-memory registry; a Prometheus scrape endpoint ({@code
 * /metrics}) and an OTLP push only when asked for (off by default).
 */
final class MetricsExport implements AutoCloseable {
  private final CompositeMeterRegistry registry = new CompositeMeterRegistry();
  private HttpServer server;
  private OtlpMeterRegistry otlp;

  static MetricsExport start(RunOptions o, String runId) {
    MetricsExport m = new MetricsExport();
    m.registry.add(new SimpleMeterRegistry());
    if (o.prometheusPort() > 0) {
      PrometheusMeterRegistry prom = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      m.registry.add(prom);
      try {
        m.server = HttpServer.create(new InetSocketAddress("127.0.0.1", o.prometheusPort()), 0);
      } catch (IOException e) {
        throw new UncheckedIOException(
            "cannot serve metrics on 127.0.0.1:" + o.prometheusPort() + ": " + e.getMessage(), e);
      }
      m.server.createContext(
          "/metrics",
          ex -> {
            byte[] body = prom.scrape().getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4");
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream os = ex.getResponseBody()) {
              os.write(body);
            }
          });
      m.server.start();
    }
    if (!o.otlpUrl().isEmpty()) {
      Map<String, String> cfg =
          Map.of(
              "otlp.url",
              o.otlpUrl(),
              "otlp.step",
              "PT10S",
              "otlp.resourceAttributes",
              "service.name=kdensity,kdensity.run=" + runId);
      m.otlp = new OtlpMeterRegistry((OtlpConfig) cfg::get, Clock.SYSTEM);
      m.registry.add(m.otlp);
    }
    return m;
  }

  MeterRegistry registry() {
    return registry;
  }

  @Override
  public void close() {
    if (server != null) {
      server.stop(0);
    }
    if (otlp != null) {
      otlp.close();
    }
  }
}
