package org.rmiq.cli.master.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The experiment's CSV and chart: speed-up against the fewest workers' mean time. */
class ExperimentChartTest {
  @TempDir Path dir;

  @Test
  void theCsvHasEveryRunWithItsSpeedUpOverTheFewestWorkersMeanTime() throws Exception {
    List<ExperimentChart.Run> runs =
        List.of(
            new ExperimentChart.Run(1, 1, 8.0),
            new ExperimentChart.Run(1, 2, 12.0),
            new ExperimentChart.Run(2, 1, 5.0),
            new ExperimentChart.Run(4, 1, 2.5));
    ExperimentChart.write(runs, "sleep 100x200", dir);
    List<String> csv = Files.readAllLines(dir.resolve("results.csv"));
    assertEquals(
        List.of(
            "workers,run,seconds,speedup",
            "1,1,8.0000,1.250",
            "1,2,12.0000,0.833",
            "2,1,5.0000,2.000",
            "4,1,2.5000,4.000"),
        csv);
  }

  @Test
  void theChartIsWrittenAsAPngOfItsSizeAndAnSvgNamingTheJob() throws Exception {
    ExperimentChart.write(
        List.of(new ExperimentChart.Run(2, 1, 4.0), new ExperimentChart.Run(3, 1, 3.0)),
        "sum 1..1000000",
        dir);
    BufferedImage png = ImageIO.read(dir.resolve("speedup.png").toFile());
    assertEquals(ExperimentChart.WIDTH, png.getWidth());
    assertEquals(ExperimentChart.HEIGHT, png.getHeight());
    String svg = Files.readString(dir.resolve("speedup.svg"));
    assertTrue(svg.contains("<svg"), "an SVG document");
    assertTrue(svg.contains("Speed-up: sum 1..1000000"), "the title names the job");
    assertTrue(svg.contains("speed-up (ideal)"), "the ideal line is in the legend");
  }
}
