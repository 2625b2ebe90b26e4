package org.rmiq.cli.master;

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
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.rmiq.master.TaskOutcome;

/**
 * Writes collected outcomes to {@code --out}: {@code .jsonl} (one JSON object per line, with a
 * {@code details} object when the result has details) or {@code .csv} (a header, then one row per
 * task; the details a job kind is known for get columns of their own, e.g. a download's {@code
 * sha256}, and any others go as JSON into the last column, {@code details}). Each row is flushed as
 * it is written, so the file is complete up to the last collected result even if the master is
 * interrupted.
 */
final class ResultFile implements Closeable {
  static final String[] COLUMNS = {
    "id", "kind", "input", "status", "value", "error", "worker", "attempts", "millis"
  };

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The details each kind is known to report, as CSV columns in this order. */
  private static final Map<String, List<String>> DETAIL_COLUMNS =
      Map.of(
          "download",
          List.of("bytes", "sha256", "httpStatus", "contentType", "finalUrl", "collected"));

  private static final String OTHER_DETAILS = "details";

  private final BufferedWriter out;

  /** CSV rows; null for JSON lines, which are written one whole line at a time. */
  private final SequenceWriter csvRows;

  /** The details with columns of their own in a CSV file. */
  private final List<String> detailColumns;

  private ResultFile(BufferedWriter out, SequenceWriter csvRows, List<String> detailColumns) {
    this.out = out;
    this.csvRows = csvRows;
    this.detailColumns = detailColumns;
  }

  /**
   * Checks {@code --out} before anything starts: a known extension and an existing folder.
   *
   * @throws IllegalArgumentException naming the file and the fix
   */
  static void check(Path file) {
    String name = file.getFileName().toString();
    if (!name.endsWith(".jsonl") && !name.endsWith(".csv")) {
      throw new IllegalArgumentException(
          "--out " + file + ": name the file .jsonl (JSON lines)" + " or .csv");
    }
    Path dir = file.toAbsolutePath().getParent();
    if (dir != null && !Files.isDirectory(dir)) {
      throw new IllegalArgumentException(
          "--out " + file + ": folder " + dir + " does not exist; create it first");
    }
    if (Files.isDirectory(file)) {
      throw new IllegalArgumentException("--out " + file + " is a folder; give a file name");
    }
  }

  /**
   * @param kind the job's task kind, which decides the CSV's detail columns (null: none)
   */
  static ResultFile open(Path file, String kind) throws IOException {
    BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
    List<String> details = kind == null ? List.of() : DETAIL_COLUMNS.getOrDefault(kind, List.of());
    if (!file.getFileName().toString().endsWith(".csv")) {
      return new ResultFile(out, null, details);
    }
    CsvSchema.Builder schema = CsvSchema.builder().setUseHeader(true);
    for (String column : COLUMNS) {
      schema.addColumn(column);
    }
    details.forEach(schema::addColumn);
    schema.addColumn(OTHER_DETAILS);
    return new ResultFile(out, new CsvMapper().writer(schema.build()).writeValues(out), details);
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
    Map<String, String> details = new TreeMap<>(outcome.details());
    if (csvRows != null) {
      for (String column : detailColumns) {
        row.put(column, details.remove(column));
      }
      row.put(OTHER_DETAILS, details.isEmpty() ? null : JSON.writeValueAsString(details));
      csvRows.write(row);
      csvRows.flush();
    } else {
      if (!details.isEmpty()) {
        Map<String, String> ordered = new LinkedHashMap<>(); // known ones first, as in the CSV
        for (String column : detailColumns) {
          if (details.containsKey(column)) {
            ordered.put(column, details.remove(column));
          }
        }
        ordered.putAll(details);
        row.put(OTHER_DETAILS, ordered);
      }
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
