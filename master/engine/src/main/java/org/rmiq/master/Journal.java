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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rmiq.internal.wire.Task;
import org.rmiq.report.JobProgress;
import org.rmiq.report.TaskOutcome;

/**
 * The master's durable record, in an SQLite database (WAL mode, {@code synchronous=FULL}): every
 * job, every submitted task and every collected outcome, each batch committed in one transaction
 * before the worker that sent it is answered. A crash at any instant leaves a database that opens
 * cleanly; a power cut loses nothing that was acknowledged.
 *
 * <p>Tables (open the file with the {@code sqlite3} shell to look inside):
 *
 * <pre>
 * jobs(id, spec, kind, max_attempts, task_timeout_ms, code, state, created_at, replicas,
 *      options, submitter, work_ms, wait_ms)
 *     state: 'queued' | 'running' | 'finished' | 'cancelled'; options: as typed after the job;
 *     submitter: 'prompt', 'teacher', 'student ADDRESS' or ''; work_ms, wait_ms: once it ended
 * tasks(id, job_id, kind, input, status, value, error, worker, attempts, millis,
 *       submitted_at, finished_at, details, collected_as)
 *     status: 'pending' | 'ok' | 'failed' | 'cancelled'; details: a JSON object (a download's
 *     sha256…);
 *     attempts: hand-outs so far (recorded when a task goes back to the queue, and at the end);
 *     collected_as: the name --collect stored the task's file under
 * </pre>
 *
 * <p>Journals written by rmiq before jobs had numbers (one job, table {@code job}) are moved to
 * these tables when opened. Calls are serialized.
 */
final class Journal implements AutoCloseable {
  private static final ObjectMapper DETAILS = new ObjectMapper();
  private static final TypeReference<Map<String, String>> DETAILS_TYPE = new TypeReference<>() {};
  private static final int VERSION = 3;

  private final Path file;
  private final Connection db;

  private Journal(Path file, Connection db) {
    this.file = file;
    this.db = db;
  }

  /**
   * A job as the journal holds it.
   *
   * @param workMillis its work time once it ended, or -1
   * @param waitMillis its wait for a first worker once it ended, or -1
   */
  record SavedJob(
      long id,
      JobSpec spec,
      String state,
      List<Task> pending,
      List<TaskOutcome> collected,
      long workMillis,
      long waitMillis) {}

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
        createOrMigrate(s);
      }
      db.setAutoCommit(false);
      db.commit();
      return new Journal(file, db);
    } catch (SQLException e) {
      throw new IOException(
          "the journal "
              + file
              + " cannot be opened as an rmiq journal ("
              + e.getMessage()
              + "); give a new file name or the journal of an earlier run",
          e);
    }
  }

  private static void createOrMigrate(Statement s) throws SQLException {
    int version;
    try (ResultSet rs = s.executeQuery("PRAGMA user_version")) {
      version = rs.next() ? rs.getInt(1) : 0;
    }
    boolean oldTables = exists(s, "job");
    s.execute(
        "CREATE TABLE IF NOT EXISTS jobs (id INTEGER PRIMARY KEY, spec TEXT NOT NULL,"
            + " kind TEXT NOT NULL, max_attempts INTEGER NOT NULL, task_timeout_ms INTEGER NOT NULL,"
            + " code TEXT, state TEXT NOT NULL CHECK (state IN ('queued', 'running', 'finished',"
            + " 'cancelled')), created_at TEXT NOT NULL, replicas INTEGER NOT NULL DEFAULT 1)");
    if (!hasColumn(s, "jobs", "replicas")) { // a journal from before --replicas
      s.execute("ALTER TABLE jobs ADD COLUMN replicas INTEGER NOT NULL DEFAULT 1");
    }
    for (String column :
        List.of(
            "options TEXT NOT NULL DEFAULT ''",
            "submitter TEXT NOT NULL DEFAULT ''",
            "work_ms INTEGER",
            "wait_ms INTEGER")) {
      String name = column.substring(0, column.indexOf(' '));
      if (!hasColumn(s, "jobs", name)) { // a journal from before version 3
        s.execute("ALTER TABLE jobs ADD COLUMN " + column);
      }
    }
    s.execute(
        "CREATE TABLE IF NOT EXISTS tasks (id INTEGER PRIMARY KEY, job_id INTEGER NOT NULL"
            + " DEFAULT 1, kind TEXT NOT NULL, input TEXT NOT NULL, status TEXT NOT NULL CHECK"
            + " (status IN ('pending', 'ok', 'failed', 'cancelled')), value TEXT, error TEXT, worker TEXT,"
            + " attempts INTEGER NOT NULL DEFAULT 0, millis INTEGER, submitted_at TEXT NOT NULL,"
            + " finished_at TEXT, details TEXT, collected_as TEXT)");
    if (version < VERSION && oldTables) {
      migrateFromOneJob(s);
    }
    if (oldTables || (version > 0 && version < 3)) {
      allowCancelled(s);
    }
    s.execute("CREATE INDEX IF NOT EXISTS tasks_status ON tasks (status)");
    s.execute("CREATE INDEX IF NOT EXISTS tasks_job ON tasks (job_id)");
    s.execute("PRAGMA user_version = " + VERSION);
  }

  /** The first journals held one job in {@code job(id = 1, spec)} and tasks without a job. */
  private static void migrateFromOneJob(Statement s) throws SQLException {
    for (String column :
        List.of("job_id INTEGER NOT NULL DEFAULT 1", "details TEXT", "collected_as TEXT")) {
      String name = column.substring(0, column.indexOf(' '));
      if (!hasColumn(s, "tasks", name)) {
        s.execute("ALTER TABLE tasks ADD COLUMN " + column);
      }
    }
    s.execute(
        "INSERT OR IGNORE INTO jobs (id, spec, kind, max_attempts, task_timeout_ms, state,"
            + " created_at) SELECT 1, spec, COALESCE((SELECT kind FROM tasks ORDER BY id LIMIT 1),"
            + " 'square'), 3, 0, CASE WHEN EXISTS (SELECT 1 FROM tasks WHERE status = 'pending')"
            + " THEN 'running' ELSE 'finished' END, created_at FROM job WHERE id = 1");
    s.execute("DROP TABLE job");
  }

  /**
   * Until version 3, a cancelled job's tasks were stored as failed with the error "cancelled: …";
   * now they have a status of their own, which the table's CHECK must allow: SQLite changes a CHECK
   * only by copying the table.
   */
  private static void allowCancelled(Statement s) throws SQLException {
    s.execute("ALTER TABLE tasks RENAME TO tasks_v2");
    s.execute(
        "CREATE TABLE tasks (id INTEGER PRIMARY KEY, job_id INTEGER NOT NULL"
            + " DEFAULT 1, kind TEXT NOT NULL, input TEXT NOT NULL, status TEXT NOT NULL CHECK"
            + " (status IN ('pending', 'ok', 'failed', 'cancelled')), value TEXT, error TEXT,"
            + " worker TEXT, attempts INTEGER NOT NULL DEFAULT 0, millis INTEGER, submitted_at"
            + " TEXT NOT NULL, finished_at TEXT, details TEXT, collected_as TEXT)");
    s.execute(
        "INSERT INTO tasks SELECT id, job_id, kind, input, CASE WHEN status = 'failed' AND error"
            + " LIKE 'cancelled: %' THEN 'cancelled' ELSE status END, value, CASE WHEN status ="
            + " 'failed' AND error LIKE 'cancelled: %' THEN substr(error, 12) ELSE error END,"
            + " worker, attempts, millis, submitted_at, finished_at, details, collected_as FROM"
            + " tasks_v2");
    s.execute("DROP TABLE tasks_v2");
    s.execute("DROP INDEX IF EXISTS tasks_status");
    s.execute("DROP INDEX IF EXISTS tasks_job");
  }

  private static boolean exists(Statement s, String table) throws SQLException {
    try (ResultSet rs =
        s.executeQuery(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '" + table + "'")) {
      return rs.next();
    }
  }

  private static boolean hasColumn(Statement s, String table, String column) throws SQLException {
    try (ResultSet rs =
        s.executeQuery(
            "SELECT 1 FROM pragma_table_info('" + table + "') WHERE name = '" + column + "'")) {
      return rs.next();
    }
  }

  /**
   * Records a new job and its tasks in one transaction: a journal never holds a job without its
   * tasks.
   */
  synchronized void submitted(Job job) throws IOException {
    String now = Instant.now().toString();
    JobSpec spec = job.spec();
    try (PreparedStatement jobRow =
            db.prepareStatement(
                "INSERT INTO jobs (id, spec, kind, max_attempts, task_timeout_ms, code, state,"
                    + " created_at, replicas, options, submitter) VALUES (?, ?, ?, ?, ?, ?, ?, ?,"
                    + " ?, ?, ?)");
        PreparedStatement taskRows =
            db.prepareStatement(
                "INSERT INTO tasks (id, job_id, kind, input, status, submitted_at) VALUES (?, ?,"
                    + " ?, ?, 'pending', ?)")) {
      jobRow.setLong(1, job.id());
      jobRow.setString(2, spec.spec());
      jobRow.setString(3, spec.kind());
      jobRow.setInt(4, spec.maxAttempts());
      jobRow.setLong(5, spec.taskTimeout().toMillis());
      jobRow.setString(6, spec.code());
      jobRow.setString(7, job.state() == Job.State.QUEUED ? "queued" : "running");
      jobRow.setString(8, now);
      jobRow.setInt(9, spec.replicas());
      jobRow.setString(10, spec.options());
      jobRow.setString(11, spec.submitter());
      jobRow.executeUpdate();
      List<String> inputs = spec.inputs();
      for (int i = 0; i < inputs.size(); i++) {
        taskRows.setLong(1, job.firstTaskId + i);
        taskRows.setLong(2, job.id());
        taskRows.setString(3, spec.kind());
        taskRows.setString(4, inputs.get(i));
        taskRows.setString(5, now);
        taskRows.addBatch();
      }
      taskRows.executeBatch();
      db.commit();
    } catch (SQLException e) {
      rollback();
      throw failure("record job " + job.id() + " and its " + spec.inputs().size() + " task(s)", e);
    }
  }

  /** Records collected outcomes, in one transaction; a task's first outcome is kept. */
  synchronized void collected(List<TaskOutcome> outcomes) throws IOException {
    String now = Instant.now().toString();
    try (PreparedStatement s =
        db.prepareStatement(
            "UPDATE tasks SET status = ?, value = ?, error = ?, worker = ?, attempts = ?,"
                + " millis = ?, finished_at = ?, details = ? WHERE id = ? AND status ="
                + " 'pending'")) {
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

  /** Records how often tasks that went back to the queue were handed out so far. */
  synchronized void requeued(Map<Long, Integer> attempts) throws IOException {
    try (PreparedStatement s =
        db.prepareStatement("UPDATE tasks SET attempts = ? WHERE id = ? AND status = 'pending'")) {
      for (Map.Entry<Long, Integer> e : attempts.entrySet()) {
        s.setInt(1, e.getValue());
        s.setLong(2, e.getKey());
        s.addBatch();
      }
      s.executeBatch();
      db.commit();
    } catch (SQLException e) {
      rollback();
      throw failure("record the attempts of " + attempts.size() + " re-queued task(s)", e);
    }
  }

  /** Records the name a task's collected file was stored under. */
  synchronized void kept(long taskId, String name) throws IOException {
    try (PreparedStatement s =
        db.prepareStatement("UPDATE tasks SET collected_as = ? WHERE id = ?")) {
      s.setString(1, name);
      s.setLong(2, taskId);
      s.executeUpdate();
      db.commit();
    } catch (SQLException e) {
      rollback();
      throw failure("record the collected file of task " + taskId, e);
    }
  }

  /** Records that a job started, finished or was cancelled. */
  synchronized void ended(long jobId, Job.State state, JobProgress p) throws IOException {
    try (PreparedStatement s =
        db.prepareStatement("UPDATE jobs SET state = ?, work_ms = ?, wait_ms = ? WHERE id = ?")) {
      s.setString(1, state.name().toLowerCase(java.util.Locale.ROOT));
      s.setLong(2, p.work().toMillis());
      s.setLong(3, p.waited().toMillis());
      s.setLong(4, jobId);
      s.executeUpdate();
      db.commit();
    } catch (SQLException e) {
      rollback();
      throw failure("record the state of job " + jobId, e);
    }
  }

  /** Puts a job's failed tasks back to pending (attempts reset); returns how many. */
  synchronized int requeueFailed(long jobId) throws IOException {
    try (PreparedStatement s =
            db.prepareStatement(
                "UPDATE tasks SET status = 'pending', value = NULL, error = NULL, worker = NULL,"
                    + " attempts = 0, millis = NULL, finished_at = NULL, details = NULL WHERE"
                    + " status = 'failed' AND job_id = ?");
        PreparedStatement job =
            db.prepareStatement("UPDATE jobs SET state = 'running' WHERE id = ?")) {
      s.setLong(1, jobId);
      int n = s.executeUpdate();
      if (n > 0) {
        job.setLong(1, jobId);
        job.executeUpdate();
      }
      db.commit();
      return n;
    } catch (SQLException e) {
      rollback();
      throw failure("re-queue failed tasks", e);
    }
  }

  /** Every job recorded, oldest first, with its tasks still to do and its outcomes. */
  synchronized List<SavedJob> load() throws IOException {
    Map<Long, JobSpec> specs = new LinkedHashMap<>();
    Map<Long, String> states = new HashMap<>();
    Map<Long, long[]> times = new HashMap<>();
    Map<Long, List<Task>> pending = new HashMap<>();
    Map<Long, List<TaskOutcome>> collected = new HashMap<>();
    try (Statement s = db.createStatement()) {
      try (ResultSet rs =
          s.executeQuery(
              "SELECT id, spec, kind, max_attempts, task_timeout_ms, code, state, replicas,"
                  + " options, submitter, work_ms, wait_ms FROM jobs ORDER BY id")) {
        while (rs.next()) {
          long id = rs.getLong(1);
          specs.put(
              id,
              new JobSpec(
                  rs.getString(2),
                  rs.getString(3),
                  List.of(),
                  rs.getInt(4),
                  Duration.ofMillis(rs.getLong(5)),
                  rs.getString(6),
                  Math.max(1, Math.min(JobSpec.MAX_REPLICAS, rs.getInt(8))),
                  rs.getString(9),
                  rs.getString(10)));
          states.put(id, rs.getString(7));
          long work = rs.getLong(11);
          if (!rs.wasNull()) {
            times.put(id, new long[] {work, rs.getLong(12)});
          }
          pending.put(id, new ArrayList<>());
          collected.put(id, new ArrayList<>());
        }
      }
      try (ResultSet rs =
          s.executeQuery(
              "SELECT id, job_id, kind, input, status, value, error, worker, attempts, millis,"
                  + " details FROM tasks ORDER BY id")) {
        while (rs.next()) {
          long id = rs.getLong(1);
          long job = rs.getLong(2);
          JobSpec spec = specs.get(job);
          if (spec == null) {
            continue;
          }
          String status = rs.getString(5);
          if (status.equals("pending")) {
            pending
                .get(job)
                .add(
                    new Task(
                        id,
                        rs.getString(3),
                        rs.getString(4),
                        spec.code(),
                        spec.taskTimeout().toMillis()));
          } else {
            collected
                .get(job)
                .add(
                    new TaskOutcome(
                        id,
                        job,
                        rs.getString(3),
                        rs.getString(4),
                        TaskOutcome.State.valueOf(status.toUpperCase(java.util.Locale.ROOT)),
                        rs.getString(6),
                        rs.getString(7),
                        rs.getString(8),
                        rs.getInt(9),
                        rs.getLong(10),
                        details(rs.getString(11))));
          }
        }
      }
    } catch (SQLException | IllegalArgumentException | JsonProcessingException e) {
      throw failure("read the jobs", e);
    }
    List<SavedJob> jobs = new ArrayList<>();
    specs.forEach(
        (id, spec) ->
            jobs.add(
                new SavedJob(
                    id,
                    spec,
                    states.get(id),
                    pending.get(id),
                    collected.get(id),
                    times.getOrDefault(id, new long[] {-1, -1})[0],
                    times.getOrDefault(id, new long[] {-1, -1})[1])));
    return jobs;
  }

  /** The names earlier runs stored tasks' collected files under, by task id. */
  synchronized Map<Long, String> keptFiles() throws IOException {
    Map<Long, String> kept = new HashMap<>();
    try (Statement s = db.createStatement();
        ResultSet rs =
            s.executeQuery("SELECT id, collected_as FROM tasks WHERE collected_as IS NOT NULL")) {
      while (rs.next()) {
        kept.put(rs.getLong(1), rs.getString(2));
      }
      return kept;
    } catch (SQLException e) {
      throw failure("read the collected files", e);
    }
  }

  private static Map<String, String> details(String json) throws JsonProcessingException {
    return json == null ? Map.of() : DETAILS.readValue(json, DETAILS_TYPE);
  }

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

  Path file() {
    return file;
  }

  private IOException failure(String what, Exception e) {
    return new IOException("journal " + file + ": could not " + what + ": " + e.getMessage(), e);
  }
}
