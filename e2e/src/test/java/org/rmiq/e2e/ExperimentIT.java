package org.rmiq.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The speed-up experiment writes a CSV with a row per run and a chart as PNG and SVG. */
class ExperimentIT {
  @TempDir Path dir;

  @Test
  void anExperimentWritesItsCsvAndCharts() throws Exception {
    Path out = dir.resolve("exp");
    List<String> command =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp",
            JvmProcess.masterJar().toString(),
            "org.rmiq.cli.master.experiment.ExperimentMain",
            "sleep",
            "100x8",
            "--workers",
            "1,2",
            "--repeat",
            "2",
            "--worker-jar",
            JvmProcess.workerJar().toString(),
            "--out-dir",
            out.toString());
    Process experiment =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("experiment.log").toFile())
            .start();
    try {
      assertTrue(experiment.waitFor(3, TimeUnit.MINUTES), "the experiment did not finish");
    } finally {
      experiment.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
      experiment.destroyForcibly();
    }
    String log = Files.readString(dir.resolve("experiment.log"));
    assertEquals(0, experiment.exitValue(), log);

    List<String> csv = Files.readAllLines(out.resolve("results.csv"));
    assertEquals("workers,run,seconds,speedup", csv.get(0));
    assertEquals(
        List.of("1,1", "1,2", "2,1", "2,2"),
        csv.subList(1, csv.size()).stream()
            .map(row -> row.split(",", -1)[0] + "," + row.split(",", -1)[1])
            .toList());
    for (String row : csv.subList(1, csv.size())) {
      assertTrue(Double.parseDouble(row.split(",", -1)[2]) >= 0.4, "8 tasks of 100 ms: " + row);
    }
    byte[] png = Files.readAllBytes(out.resolve("speedup.png"));
    assertTrue(png.length > 5_000, "PNG of " + png.length + " bytes");
    assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, Arrays.copyOf(png, 4));
    String svg = Files.readString(out.resolve("speedup.svg"));
    assertTrue(svg.contains("<svg") && svg.contains("speed-up"), svg.substring(0, 200));
  }
}
