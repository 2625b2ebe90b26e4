package org.rmiq.master;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.rmiq.internal.wire.Task;

/**
 * The master's durable record of a job, in an SQLite database (WAL mode, {@code synchronous=FULL}):
 * every submitted task and every collected outcome, each batch committed in one transaction before
 * it is acknowledged. A crash at any instant leaves a database that opens cleanly; a power cut
 * loses nothing that was acknowledged.
 *
 * <p>Tables (open the file with the {@code sqlite3} shell to look inside):
 *
 * <pre>
 * job(id = 1, spec)        the job the tasks came from, e.g. "square 1..100"
 * tasks(id, kind, input, status ('pending'|'ok'|'failed'), value, error, worker, attempts,
 *       millis, submitted_at, finished_at, details)   details: a JSON object, e.g. a
 *                                                       download's bytes and sha256
 * </pre>
 *
 * <p>Used by one master thread at a time per call; calls are serialized by the connection.
 */
final class Journal implements AutoCloseable {
  private static final ObjectMapper DETAILS = new ObjectMapper();
  private static final TypeReference<Map<String, String>> DETAILS_TYPE = new TypeReference<>() {};

  private final Path file;
  private final Connection db;

  private Journal(Path file, Connection db) {
    this.file = file;
    this.db = db;
  }

  /**
   * Opens (or creates) the journal.
   *
   * @throws IOException naming the file when it cannot be opened or is not an rmiq journal
   */
  static Journal open(Path file) throws IOException {
    try {
      Connection db = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
      try (Statement s = db.createStatement()) {
        s.execute("PRAGMA journal_mode=WAL");
        s.execute("PRAGMA synchronous=FULL");
        s.execute("PRAGMA busy_timeout=5000");
        s.execute(
            "CREATE TABLE IF NOT EXISTS job (id INTEGER PRIMARY KEY CHECK (id = 1),"
                + " spec TEXT NOT NULL, created_at TEXT NOT NULL)");
        s.execute(
            "CREATE TABLE IF NOT EXISTS tasks (id INTEGER PRIMARY KEY, kind TEXT NOT NULL,"
                + " input TEXT NOT NULL, status TEXT NOT NULL CHECK (status IN"
                + " ('pending', 'ok', 'failed')), value TEXT, error TEXT, worker TEXT,"
                + " attempts INTEGER NOT NULL DEFAULT 0, millis INTEGER, submitted_at TEXT NOT NULL,"
                + " finished_at TEXT)");
        s.execute("CREATE INDEX IF NOT EXISTS tasks_status ON tasks (status)");
        addDetailsColumn(s);
      }
      db.setAutoCommit(false);
      db.commit();
      return new Journal(file, db);
    } catch (SQLException e) {
      throw new IOException(
          "--journal "
              + file
              + " cannot be opened as an rmiq journal ("
              + e.getMessage()
              + "); give a new file name or the journal of an earlier run",
          e);
    }
  }

  /** Journals written before results had details gain the column (NULL = none). */
  private static void addDetailsColumn(Statement s) throws SQLException {
    try (ResultSet columns =
        s.executeQuery("SELECT 1 FROM pragma_table_info('tasks')" + " WHERE name = 'details'")) {
      if (columns.next()) {
        return;
      }
    }
    s.execute("ALTER TABLE tasks ADD COLUMN details TEXT");
  }

  /** The job this journal records, if one was saved. */
  synchronized Optional<String> job() throws IOException {
    try (Statement s = db.createStatement();
        ResultSet rs = s.executeQuery("SELECT spec FROM job WHERE id = 1")) {
      return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
    } catch (SQLException e) {
      throw failure("read the job", e);
    }
  }

  /**
   * Records newly submitted tasks, and the job they make up when {@code jobSpec} is not null, in
   * one transaction: a journal never holds a job without its tasks.
   */
  synchronized void submitted(String jobSpec, List<Task> tasks) throws IOException {
    String now = Instant.now().toString();
    try (PreparedStatement job =
            db.prepareStatement("INSERT INTO job (id, spec, created_at) VALUES (1, ?, ?)");
        PreparedStatement s =
            db.prepareStatement(
                "INSERT INTO tasks (id, kind, input, status,"
                    + " submitted_at) VALUES (?, ?, ?, 'pending', ?)")) {
      if (jobSpec != null) {
        job.setString(1, jobSpec);
        job.setString(2, now);
        job.executeUpdate();
      }
      for (Task task : tasks) {
        s.setLong(1, task.id());
        s.setString(2, task.kind());
        s.setString(3, task.input());
        s.setString(4, now);
        s.addBatch();
      }
      s.executeBatch();
      db.commit();
    } catch (SQLException e) {
      rollback();
      throw failure("record " + tasks.size() + " submitted task(s)", e);
    }
  }

  /** Records collected outcomes, in one transaction; a task's first outcome is kept. */
  synchronized void collected(List<TaskOutcome> outcomes) throws IOException {
    String now = Instant.now().toString();
    try (PreparedStatement s =
        db.prepareStatement(
            "UPDATE tasks SET status = ?, value = ?,"
                + " error = ?, worker = ?, attempts = ?, millis = ?, finished_at = ?, details = ?"
                + " WHERE id = ? AND status = 'pending'")) {
      for (TaskOutcome o : outcomes) {
        s.setString(1, o.status());
        s.setString(2, o.value());
        s.setString(3, o.error());
        s.setString(4, o.worker());
        s.setInt(5, o.attempts());
        s.setLong(6, o.millis());
        s.setString(7, now);
        s.setString(8, o.details().isEmpty() ? null : DETAILS.writeValueAsString(o.details()));
        s.setLong(9, o.id());
        s.addBatch();
      }
      s.executeBatch();
      db.commit();
    } catch (SQLException | JsonProcessingException e) {
      rollback();
      throw failure("record " + outcomes.size() + " collected result(s)", e);
    }
  }

  /** Puts every failed task back to pending (attempts reset); returns how many. */
  synchronized int requeueFailed() throws IOException {
    try (Statement s = db.createStatement()) {
      int n =
          s.executeUpdate(
              "UPDATE tasks SET status = 'pending', value = NULL, error = NULL,"
                  + " worker = NULL, attempts = 0, millis = NULL, finished_at = NULL, details = NULL"
                  + " WHERE status = 'failed'");
      db.commit();
      return n;
    } catch (SQLException e) {
      rollback();
      throw failure("re-queue failed tasks", e);
    }
  }

  /** Everything recorded: tasks still to do, and outcomes already collected, by id. */
  synchronized Contents load() throws IOException {
    List<Task> pending = new ArrayList<>();
    List<TaskOutcome> done = new ArrayList<>();
    try (Statement s = db.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT id, kind, input, status, value, error, worker,"
                    + " attempts, millis, details FROM tasks ORDER BY id")) {
      while (rs.next()) {
        long id = rs.getLong(1);
        String status = rs.getString(4);
        if (status.equals("pending")) {
          pending.add(new Task(id, rs.getString(2), rs.getString(3)));
        } else {
          done.add(
              new TaskOutcome(
                  id,
                  rs.getString(2),
                  rs.getString(3),
                  status.equals("ok"),
                  rs.getString(5),
                  rs.getString(6),
                  rs.getString(7),
                  rs.getInt(8),
                  rs.getLong(9),
                  details(rs.getString(10))));
        }
      }
      return new Contents(pending, done);
    } catch (SQLException | IllegalArgumentException | JsonProcessingException e) {
      throw failure("read the tasks", e);
    }
  }

  private static Map<String, String> details(String json) throws JsonProcessingException {
    return json == null ? Map.of() : DETAILS.readValue(json, DETAILS_TYPE);
  }

  /** What a journal holds. */
  record Contents(List<Task> pending, List<TaskOutcome> collected) {}

  @Override
  public synchronized void close() {
    try {
      db.close();
    } catch (SQLException ignored) {
      // closing: nothing left to protect
    }
  }

  private void rollback() {
    try {
      db.rollback();
    } catch (SQLException ignored) {
      // the failure that led here is reported instead
    }
  }

  private IOException failure(String what, Exception e) {
    return new IOException("journal " + file + ": could not " + what + ": " + e.getMessage(), e);
  }
}
