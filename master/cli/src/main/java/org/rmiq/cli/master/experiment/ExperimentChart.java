package org.rmiq.cli.master.experiment;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.geom.Rectangle2D;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.svg.SVGGraphics2D;
import org.jfree.svg.SVGUtils;

/**
 * Writes the speed-up experiment's results: a CSV of every run, and a chart (JFreeChart, as PNG and
 * SVG) of mean wall time (left axis) and speed-up with the ideal line (right axis) against the
 * number of workers.
 */
public final class ExperimentChart {
  static final int WIDTH = 900;
  static final int HEIGHT = 560;

  /** One timed run of the job. */
  record Run(int workers, int repeat, double seconds) {}

  private ExperimentChart() {}

  static void write(List<Run> runs, String job, Path dir) throws IOException {
    Map<Integer, Double> mean =
        runs.stream()
            .collect(
                Collectors.groupingBy(
                    Run::workers, TreeMap::new, Collectors.averagingDouble(Run::seconds)));
    int base = mean.keySet().iterator().next();
    double baseSeconds = mean.get(base);
    try (BufferedWriter csv =
        Files.newBufferedWriter(dir.resolve("results.csv"), StandardCharsets.UTF_8)) {
      csv.write("workers,run,seconds,speedup\n");
      for (Run run : runs) {
        csv.write(
            String.format(
                java.util.Locale.ROOT,
                "%d,%d,%.4f,%.3f%n",
                run.workers(),
                run.repeat(),
                run.seconds(),
                baseSeconds / run.seconds()));
      }
    }
    JFreeChart chart = chart(mean, base, baseSeconds, job);
    ChartUtils.saveChartAsPNG(dir.resolve("speedup.png").toFile(), chart, WIDTH, HEIGHT);
    SVGGraphics2D svg = new SVGGraphics2D(WIDTH, HEIGHT);
    chart.draw(svg, new Rectangle2D.Double(0, 0, WIDTH, HEIGHT));
    SVGUtils.writeToSVG(dir.resolve("speedup.svg").toFile(), svg.getSVGElement());
  }

  private static JFreeChart chart(
      Map<Integer, Double> mean, int base, double baseSeconds, String job) {
    XYSeries time = new XYSeries("wall time (s)");
    XYSeries speedup = new XYSeries("speed-up (measured)");
    XYSeries ideal = new XYSeries("speed-up (ideal)");
    mean.forEach(
        (n, seconds) -> {
          time.add(n.doubleValue(), seconds);
          speedup.add(n.doubleValue(), baseSeconds / seconds);
          ideal.add(n.doubleValue(), n / (double) base);
        });
    NumberAxis workersAxis = new NumberAxis("workers");
    workersAxis.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    XYPlot plot =
        new XYPlot(
            new XYSeriesCollection(time),
            workersAxis,
            new NumberAxis("wall time (s)"),
            renderer(new Color(0x3867d6)));
    XYSeriesCollection ratios = new XYSeriesCollection(speedup);
    ratios.addSeries(ideal);
    plot.setDataset(1, ratios);
    plot.setRangeAxis(1, new NumberAxis("speed-up (×)"));
    plot.mapDatasetToRangeAxis(1, 1);
    XYLineAndShapeRenderer ratioRenderer = renderer(new Color(0x20bf6b));
    ratioRenderer.setSeriesPaint(1, Color.GRAY);
    ratioRenderer.setSeriesStroke(
        1,
        new BasicStroke(
            2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 1f, new float[] {6f, 6f}, 0f));
    ratioRenderer.setSeriesShapesVisible(1, false);
    plot.setRenderer(1, ratioRenderer);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    JFreeChart chart =
        new JFreeChart("Speed-up: " + job, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
    chart.setBackgroundPaint(Color.WHITE);
    return chart;
  }

  private static XYLineAndShapeRenderer renderer(Color color) {
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
    renderer.setSeriesPaint(0, color);
    renderer.setSeriesStroke(0, new BasicStroke(2.5f));
    return renderer;
  }
}
