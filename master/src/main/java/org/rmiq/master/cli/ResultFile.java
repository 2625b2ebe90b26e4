package org.rmiq.master.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.rmiq.master.TaskOutcome;

/**
 * Writes collected outcomes to {@code --out}: {@code .jsonl} (one JSON object per line) or
 * {@code .csv} (a header, then one row per task). Each row is flushed as it is written, so the
 * file is complete up to the last collected result even if the master is interrupted.
 */
final class ResultFile implements Closeable {
  static final String[] COLUMNS =
      {"id", "kind", "input", "status", "value", "error", "worker", "attempts", "millis"};

  private static final ObjectMapper JSON = new ObjectMapper();

  private final BufferedWriter out;
  /** CSV rows; null for JSON lines, which are written one whole line at a time. */
  private final SequenceWriter csvRows;

  private ResultFile(BufferedWriter out, SequenceWriter csvRows) {
    this.out = out;
    this.csvRows = csvRows;
  }

  /**
   * Checks {@code --out} before anything starts: a known extension and an existing folder.
   *
   * @throws IllegalArgumentException naming the file and the fix
   */
  static void check(Path file) {
    String name = file.getFileName().toString();
    if (!name.endsWith(".jsonl") && !name.endsWith(".csv")) {
      throw new IllegalArgumentException("--out " + file + ": name the file .jsonl (JSON lines)"
          + " or .csv");
    }
    Path dir = file.toAbsolutePath().getParent();
    if (dir != null && !Files.isDirectory(dir)) {
      throw new IllegalArgumentException("--out " + file + ": folder " + dir
          + " does not exist; create it first");
    }
    if (Files.isDirectory(file)) {
      throw new IllegalArgumentException("--out " + file + " is a folder; give a file name");
    }
  }

  static ResultFile open(Path file) throws IOException {
    BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
    if (!file.getFileName().toString().endsWith(".csv")) {
      return new ResultFile(out, null);
    }
    CsvSchema.Builder schema = CsvSchema.builder().setUseHeader(true);
    for (String column : COLUMNS) {
      schema.addColumn(column);
    }
    return new ResultFile(out, new CsvMapper().writer(schema.build()).writeValues(out));
  }

  synchronized void write(TaskOutcome outcome) throws IOException {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("id", outcome.id());
    row.put("kind", outcome.kind());
    row.put("input", outcome.input());
    row.put("status", outcome.status());
    row.put("value", outcome.value());
    row.put("error", outcome.error());
    row.put("worker", outcome.worker());
    row.put("attempts", outcome.attempts());
    row.put("millis", outcome.millis());
    if (csvRows != null) {
      csvRows.write(row);
      csvRows.flush();
    } else {
      out.write(JSON.writeValueAsString(row));
      out.newLine();
      out.flush();
    }
  }

  @Override
  public synchronized void close() throws IOException {
    if (csvRows != null) {
      csvRows.close();
    }
    out.close();
  }
}
