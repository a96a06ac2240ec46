package io.kdensity.reports.charts;

import io.kdensity.probes.conntrack.ConntrackProbe;
import io.kdensity.probes.cpu.PacketCpuProbe;
import io.kdensity.probes.fdb.MacTableProbe;
import io.kdensity.probes.neigh.NeighbourProbe;
import io.kdensity.probes.probe.Metric;
import io.kdensity.probes.socket.SocketBufferProbe;
import io.kdensity.reports.model.Knee;
import io.kdensity.reports.model.RunSummary;
import io.kdensity.reports.model.StepOutcome;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The charts of a ramp, as PNG bytes. X is always the node's pod interfaces, so charts of different
 * plans and profiles line up; the knee is marked where there is one.
 */
public final class Charts {
  private static final NeighbourProbe.FamilyMetrics V6 = NeighbourProbe.Family.V6.metrics();

  static {
    System.setProperty("java.awt.headless", "true");
  }

  /** A named series of (x, y) points. */
  public record Series(String name, List<double[]> points) {}

  /** A horizontal line (a limit such as gc_thresh3). */
  public record Limit(String name, double value) {}

  private Charts() {}

  /** Renders a line chart. */
  public static byte[] line(
      String title,
      String xLabel,
      String yLabel,
      List<Series> series,
      List<Limit> limits,
      Double kneeX) {
    XYPlot plot = plot(title, xLabel, yLabel, series);
    for (Limit l : limits) {
      ValueMarker m =
          new ValueMarker(
              l.value(),
              new Color(200, 60, 60),
              new BasicStroke(
                  1.5f,
                  BasicStroke.CAP_BUTT,
                  BasicStroke.JOIN_MITER,
                  1f,
                  new float[] {6f, 4f},
                  0f));
      m.setLabel(l.name() + " = " + fmt(l.value()));
      m.setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
      m.setLabelAnchor(RectangleAnchor.TOP_LEFT);
      m.setLabelTextAnchor(TextAnchor.BOTTOM_LEFT);
      plot.addRangeMarker(m);
    }
    if (kneeX != null) {
      plot.addDomainMarker(knee("knee", kneeX));
    }
    return png(plot.getChart());
  }

  /** One layer of a stacked bar chart: its value in each category it has one for. */
  public record Stack(String name, Map<String, Double> byCategory) {}

  /** Renders a stacked bar chart: one bar per category, one layer per stack, in their order. */
  public static byte[] stackedBars(
      String title,
      String categoryLabel,
      String valueLabel,
      List<String> categories,
      List<Stack> stacks) {
    DefaultCategoryDataset data = new DefaultCategoryDataset();
    for (Stack s : stacks) {
      for (String c : categories) {
        data.addValue(s.byCategory().getOrDefault(c, 0.0), s.name(), c);
      }
    }
    JFreeChart chart =
        ChartFactory.createStackedBarChart(
            title, categoryLabel, valueLabel, data, PlotOrientation.VERTICAL, true, false, false);
    chart.setBackgroundPaint(Color.WHITE);
    CategoryPlot plot = chart.getCategoryPlot();
    plot.setBackgroundPaint(new Color(250, 250, 250));
    plot.setRangeGridlinePaint(new Color(220, 220, 220));
    plot.getDomainAxis().setCategoryLabelPositions(CategoryLabelPositions.UP_45);
    ((BarRenderer) plot.getRenderer()).setMaximumBarWidth(0.08);
    return png(chart);
  }

  /** A line chart with one knee marker per series (comparisons: one series per profile). */
  public static byte[] lines(
      String title, String xLabel, String yLabel, List<Series> series, Map<String, Double> knees) {
    XYPlot plot = plot(title, xLabel, yLabel, series);
    knees.forEach((name, x) -> plot.addDomainMarker(knee("knee " + name, x)));
    return png(plot.getChart());
  }

  private static XYPlot plot(String title, String xLabel, String yLabel, List<Series> series) {
    XYSeriesCollection data = new XYSeriesCollection();
    for (Series s : series) {
      XYSeries xy = new XYSeries(s.name(), true, true);
      s.points().forEach(p -> xy.addOrUpdate(p[0], p[1]));
      data.addSeries(xy);
    }
    JFreeChart chart =
        ChartFactory.createXYLineChart(
            title, xLabel, yLabel, data, PlotOrientation.VERTICAL, true, false, false);
    chart.setBackgroundPaint(Color.WHITE);
    XYPlot plot = chart.getXYPlot();
    plot.setBackgroundPaint(new Color(250, 250, 250));
    plot.setDomainGridlinePaint(new Color(220, 220, 220));
    plot.setRangeGridlinePaint(new Color(220, 220, 220));
    XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, true);
    for (int i = 0; i < series.size(); i++) {
      r.setSeriesStroke(i, new BasicStroke(2f));
    }
    plot.setRenderer(r);
    return plot;
  }

  private static ValueMarker knee(String label, double x) {
    ValueMarker k = new ValueMarker(x, new Color(230, 120, 0), new BasicStroke(2f));
    k.setLabel(label);
    k.setLabelAnchor(RectangleAnchor.TOP_RIGHT);
    k.setLabelTextAnchor(TextAnchor.TOP_LEFT);
    return k;
  }

  private static byte[] png(JFreeChart chart) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ChartUtils.writeChartAsPNG(out, chart, 900, 480);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static String fmt(double v) {
    return v == Math.rint(v) ? String.format("%,d", (long) v) : String.format("%.2f", v);
  }

  /** One series of a metric over interfaces, from the steps that have it, in pod order. */
  public static Series series(
      String name, List<StepOutcome> steps, ToDoubleFunction<StepOutcome> y, String metric) {
    List<double[]> pts = new ArrayList<>();
    steps.stream()
        .sorted(Comparator.comparingInt(StepOutcome::pods))
        .filter(s -> metric == null || s.metrics().containsKey(metric))
        .forEach(s -> pts.add(new double[] {s.interfaces(), y.applyAsDouble(s)}));
    return new Series(name, pts);
  }

  private static Series metric(String name, List<StepOutcome> steps, Metric metric) {
    return series(name, steps, s -> s.metrics().get(metric.name()), metric.name());
  }

  private static Series latency(
      String name, List<StepOutcome> steps, ToDoubleFunction<StepOutcome> y) {
    return series(name, steps.stream().filter(s -> s.attach().count() > 0).toList(), y, null);
  }

  private static Double kneeX(Knee knee) {
    return knee == null ? null : (double) knee.interfaces();
  }

  private static double last(List<StepOutcome> steps, Metric metric, double dflt) {
    return steps.stream()
        .filter(s -> s.metrics().containsKey(metric.name()))
        .reduce((a, b) -> b)
        .map(s -> s.metrics().get(metric.name()))
        .orElse(dflt);
  }

  /** Every chart of a ramp, by file name ({@link RampChart#fileName()}), in the enum's order. */
  public static Map<String, byte[]> ramp(List<StepOutcome> steps, Knee knee) {
    Map<String, byte[]> out = new LinkedHashMap<>();
    for (RampChart c : RampChart.values()) {
      out.put(c.fileName(), chart(c, steps, knee));
    }
    return out;
  }

  /** One chart of a ramp. */
  /**
   * The knee of every trial of a {@code ramp --trials N} run, with their median: how far one run's
   * knee is from the next on the same node. Trials without a knee are left out (the title says how
   * many).
   */
  public static byte[] trials(List<RunSummary.Trial> trials) {
    List<double[]> points = new ArrayList<>();
    for (RunSummary.Trial t : trials) {
      if (t.firstFailingPods() != null) {
        points.add(new double[] {t.trial(), t.firstFailingPods()});
      }
    }
    double[] knees = points.stream().mapToDouble(p -> p[1]).sorted().toArray();
    List<Limit> median =
        knees.length == 0
            ? List.of()
            : List.of(
                new Limit(
                    "median",
                    knees.length % 2 == 1
                        ? knees[knees.length / 2]
                        : (knees[knees.length / 2 - 1] + knees[knees.length / 2]) / 2));
    int none = trials.size() - points.size();
    return line(
        "Knee of each trial" + (none == 0 ? "" : " (" + none + " without a knee)"),
        "trial",
        "pods (first failing step)",
        List.of(new Series("knee", points)),
        median,
        null);
  }

  public static byte[] chart(RampChart chart, List<StepOutcome> steps, Knee knee) {
    String x = "pod interfaces on the node";
    return switch (chart) {
      case ATTACH_LATENCY -> attachLatency(steps, knee, x);
      case NEIGHBOURS -> neighbours(steps, knee, x);
      case FDB -> fdb(steps, knee, x);
      case SOFTNET -> softnet(steps, knee, x);
      case SOCKET_ERRORS -> socketErrors(steps, knee, x);
      case CONNTRACK -> conntrack(steps, knee, x);
      case SOFTIRQ_CPU -> softirqCpu(steps, knee, x);
    };
  }

  private static byte[] attachLatency(List<StepOutcome> steps, Knee knee, String x) {
    return line(
        "Attach latency per interface",
        x,
        "ms",
        List.of(
            latency("attach p50", steps, s -> s.attach().p50()),
            latency("attach p99", steps, s -> s.attach().p99()),
            latency("pod ready p99", steps, s -> s.ready().p99())),
        List.of(),
        kneeX(knee));
  }

  private static byte[] neighbours(List<StepOutcome> steps, Knee knee, String x) {
    List<Limit> neigh = new ArrayList<>();
    if (!steps.isEmpty()) {
      neigh.add(new Limit("gc_thresh2", last(steps, V6.gcThresh2(), 512)));
      neigh.add(new Limit("gc_thresh3", last(steps, V6.gcThresh3(), 1024)));
    }
    return line(
        "Neighbour table (IPv6, node-wide): what the kernel counts against gc_thresh",
        x,
        "entries / events",
        List.of(
            metric("counted against gc_thresh", steps, V6.gcEntries()),
            metric("node's own (node + pods)", steps, V6.nodeSide()),
            metric("emulated router (permanent, exempt)", steps, V6.emulation()),
            metric("table_fulls (step)", steps, V6.tableFulls()),
            metric("forced GC runs (step)", steps, V6.forcedGcRuns())),
        neigh,
        kneeX(knee));
  }

  private static byte[] fdb(List<StepOutcome> steps, Knee knee, String x) {
    return line(
        "Learned MAC addresses on the switch",
        x,
        "FDB entries",
        List.of(metric("learned", steps, MacTableProbe.FDB_LEARNED)),
        steps.isEmpty()
            ? List.of()
            : List.of(new Limit("declared capacity", last(steps, MacTableProbe.FDB_CAPACITY, 0))),
        kneeX(knee));
  }

  private static byte[] softnet(List<StepOutcome> steps, Knee knee, String x) {
    return line(
        "Softnet per step",
        x,
        "packets",
        List.of(
            metric("processed", steps, PacketCpuProbe.PROCESSED),
            metric("dropped", steps, PacketCpuProbe.DROPPED),
            metric("time_squeeze", steps, PacketCpuProbe.TIME_SQUEEZE)),
        List.of(),
        kneeX(knee));
  }

  private static byte[] socketErrors(List<StepOutcome> steps, Knee knee, String x) {
    return line(
        "Socket buffer errors per step",
        x,
        "datagrams",
        List.of(
            metric("receive buffer errors", steps, SocketBufferProbe.RCVBUF_ERRORS),
            metric("send buffer errors", steps, SocketBufferProbe.SNDBUF_ERRORS)),
        List.of(),
        kneeX(knee));
  }

  private static byte[] conntrack(List<StepOutcome> steps, Knee knee, String x) {
    return line(
        "Connection tracking in the node's namespace (none where it tracks no connections)",
        x,
        "entries / packets",
        List.of(
            metric("entries", steps, ConntrackProbe.ENTRIES),
            metric("dropped, evicted or not inserted (step)", steps, ConntrackProbe.DROPS)),
        steps.stream().anyMatch(s -> s.metrics().containsKey(ConntrackProbe.MAX_ENTRIES.name()))
            ? List.of(new Limit("nf_conntrack_max", last(steps, ConntrackProbe.MAX_ENTRIES, 0)))
            : List.of(),
        kneeX(knee));
  }

  private static byte[] softirqCpu(List<StepOutcome> steps, Knee knee, String x) {
    return line(
        "Softirq CPU per packet",
        x,
        "CPU cycles per packet",
        List.of(
            metric("per packet delivered", steps, PacketCpuProbe.CYCLES_PER_DELIVERED),
            metric("per hop", steps, PacketCpuProbe.CYCLES_PER_HOP)),
        List.of(),
        kneeX(knee));
  }
}
