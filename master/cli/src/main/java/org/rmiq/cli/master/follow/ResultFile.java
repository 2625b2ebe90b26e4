package org.rmiq.cli.master.follow;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.BufferedOutputStream;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.rmiq.report.TaskOutcome;

/**
 * Writes collected outcomes to {@code --out}: {@code .jsonl} (one JSON object per line, with a
 * {@code details} object when the result has details) or {@code .csv} (a header, then one row per
 * task; the details a job kind is known for get columns of their own, e.g. a download's {@code
 * sha256}, and any others go as JSON into the last column, {@code details}). The file is flushed
 * after each batch, so it is complete up to the last collected batch even if the master is
 * interrupted. CSV cells that a spreadsheet would run as a formula are neutralized.
 */
public final class ResultFile implements Closeable {
  static final String[] COLUMNS = {
    "id", "kind", "input", "status", "value", "error", "worker", "attempts", "millis"
  };

  /**
   * Jackson's mapper, for a CSV file's details column only, made on first use: making it loads
   * about 370 classes, and {@link #check} runs before a master listens (~30 ms of its start).
   */
  private static final class Mapper {
    static final ObjectMapper JSON = new ObjectMapper();
  }

  private static final String OTHER_DETAILS = "details";

  /**
   * The JSON lines' field names, quoted and escaped once: a generator escapes a plain String name
   * again for every field of every result (a tenth of the master's main thread in a million-square
   * job).
   */
  private static final SerializedString ID = new SerializedString("id");

  private static final SerializedString KIND = new SerializedString("kind");
  private static final SerializedString INPUT = new SerializedString("input");
  private static final SerializedString STATUS = new SerializedString("status");
  private static final SerializedString VALUE = new SerializedString("value");
  private static final SerializedString ERROR = new SerializedString("error");
  private static final SerializedString WORKER = new SerializedString("worker");
  private static final SerializedString ATTEMPTS = new SerializedString("attempts");
  private static final SerializedString MILLIS = new SerializedString("millis");
  private static final SerializedString DETAILS = new SerializedString(OTHER_DETAILS);

  /** The text fields after {@code id}, in the order of the CSV columns. */
  private static final SerializedString[] TEXT_FIELDS = {KIND, INPUT, STATUS, VALUE, ERROR, WORKER};

  /** Where the rows or lines go, buffered. */
  private final Closeable out;

  /** CSV rows; null for JSON lines. */
  private final SequenceWriter csvRows;

  /**
   * JSON lines, streamed field by field into {@link #out}; null for CSV. One generator for the
   * whole file: a million results then cost no map or generator each. It writes UTF-8 bytes itself
   * (a generator over a {@code Writer} made chars that the writer then encoded again: a fifth of
   * the master's main thread in a million-square job).
   */
  private final JsonGenerator jsonLines;

  /** The details with columns of their own in a CSV file. */
  private final List<String> detailColumns;

  private ResultFile(
      Closeable out, SequenceWriter csvRows, JsonGenerator jsonLines, List<String> detailColumns) {
    this.out = out;
    this.csvRows = csvRows;
    this.jsonLines = jsonLines;
    this.detailColumns = detailColumns;
  }

  /**
   * Checks {@code --out} before anything starts: a known extension and an existing folder.
   *
   * @throws IllegalArgumentException naming the file and the fix
   */
  public static void check(Path file) {
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
   * @param detailColumns the details that get CSV columns of their own (the job kind's)
   */
  static ResultFile open(Path file, List<String> detailColumns) throws IOException {
    if (!file.getFileName().toString().endsWith(".csv")) {
      OutputStream bytes = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
      JsonGenerator lines = new JsonFactory().createGenerator(bytes, JsonEncoding.UTF8);
      // a character beyond U+FFFF as its UTF-8 bytes, as before, not as two escaped halves
      lines.enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8.mappedFeature());
      lines.setRootValueSeparator(null); // each line ends with a newline of its own
      return new ResultFile(bytes, null, lines, detailColumns);
    }
    BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
    CsvSchema.Builder schema = CsvSchema.builder().setUseHeader(true);
    for (String column : COLUMNS) {
      schema.addColumn(column);
    }
    detailColumns.forEach(schema::addColumn);
    schema.addColumn(OTHER_DETAILS);
    return new ResultFile(
        out, new CsvMapper().writer(schema.build()).writeValues(out), null, detailColumns);
  }

  private static final java.util.regex.Pattern NUMBER =
      java.util.regex.Pattern.compile("[+-]?\\d+(\\.\\d+)?([eE][+-]?\\d+)?");

  /**
   * A CSV cell a spreadsheet will not run as a formula (OWASP's rule): text starting with {@code
   * =}, {@code +}, {@code -}, {@code @}, a tab or a carriage return gets a leading {@code '}. Plain
   * numbers, negative ones included, stay as they are.
   */
  public static Object neutral(Object cell) {
    if (!(cell instanceof String text) || text.isEmpty()) {
      return cell;
    }
    char first = text.charAt(0);
    boolean risky =
        first == '='
            || first == '+'
            || first == '-'
            || first == '@'
            || first == '\t'
            || first == '\r';
    return risky && !NUMBER.matcher(text).matches() ? "'" + text : text;
  }

  /** Writes one outcome; the file is flushed by {@link #flush}, after each batch. */
  synchronized void write(TaskOutcome outcome) throws IOException {
    if (jsonLines != null) {
      writeJsonLine(outcome);
      return;
    }
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
    for (String column : detailColumns) {
      row.put(column, details.remove(column));
    }
    row.put(OTHER_DETAILS, details.isEmpty() ? null : Mapper.JSON.writeValueAsString(details));
    row.replaceAll((column, cell) -> neutral(cell));
    csvRows.write(row);
  }

  /** One JSON object on one line, the kind's details first, as in the CSV columns. */
  private void writeJsonLine(TaskOutcome outcome) throws IOException {
    JsonGenerator json = jsonLines;
    json.writeStartObject();
    json.writeFieldName(ID);
    json.writeNumber(outcome.id());
    String[] texts = {
      outcome.kind(),
      outcome.input(),
      outcome.status(),
      outcome.value(),
      outcome.error(),
      outcome.worker()
    };
    // one call site for the six texts: the JIT inlines Jackson's string writing once, not six
    // times (one compile of 47 KB of code, ~0.3 s of a core, in a million-square job)
    for (int i = 0; i < texts.length; i++) {
      json.writeFieldName(TEXT_FIELDS[i]);
      json.writeString(texts[i]); // a null text is written as null
    }
    json.writeFieldName(ATTEMPTS);
    json.writeNumber(outcome.attempts());
    json.writeFieldName(MILLIS);
    json.writeNumber(outcome.millis());
    Map<String, String> details = outcome.details();
    if (!details.isEmpty()) {
      json.writeFieldName(DETAILS);
      json.writeStartObject();
      for (String column : detailColumns) {
        String value = details.get(column);
        if (value != null) {
          json.writeStringField(column, value);
        }
      }
      for (Map.Entry<String, String> other : new TreeMap<>(details).entrySet()) {
        if (!detailColumns.contains(other.getKey())) {
          json.writeStringField(other.getKey(), other.getValue());
        }
      }
      json.writeEndObject();
    }
    json.writeEndObject();
    json.writeRaw('\n');
  }

  /** Pushes what was written to the file, so it is complete up to the last batch. */
  synchronized void flush() throws IOException {
    if (csvRows != null) {
      csvRows.flush();
    }
    if (jsonLines != null) {
      jsonLines.flush();
    }
    // each flush reaches the file: Jackson passes it to the stream beneath (on by default)
  }

  @Override
  public synchronized void close() throws IOException {
    if (csvRows != null) {
      csvRows.close();
    }
    if (jsonLines != null) {
      jsonLines.close();
    }
    out.close();
  }
}
