package org.rmiq.master;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rmiq.internal.wire.Task;
import org.rmiq.report.TaskOutcome;

class JournalTest {
  @TempDir Path dir;
  private final Dispatcher dispatcher =
      new Dispatcher(
          new ManualTicker(),
          java.time.Duration.ofSeconds(10),
          java.time.Duration.ofMillis(500),
          OutcomeSink.DISCARD);

  private static TaskOutcome ok(long id, String input, String value) {
    return new TaskOutcome(
        id, 1, "square", input, TaskOutcome.State.OK, value, null, "w", 1, 2, Map.of());
  }

  private Job job(String spec, String kind, List<String> inputs) {
    return dispatcher.create(JobSpec.of(spec, kind, inputs), false, new LinkedBlockingQueue<>());
  }

  @Test
  void jobsAndTheirTasksAreRecordedTogetherAndResultsKeepTheFirstOutcome() throws Exception {
    Path file = dir.resolve("job.db");
    try (Journal journal = Journal.open(file)) {
      assertEquals(List.of(), journal.load());
      journal.submitted(job("square 1..3", "square", List.of("1", "2", "3")));
      journal.collected(List.of(ok(2, "2", "4")));
      journal.collected(List.of(ok(2, "2", "not this one")));
      journal.requeued(Map.of(3L, 2));
    }
    try (Journal reopened = Journal.open(file)) {
      Journal.SavedJob saved = reopened.load().get(0);
      assertEquals("square 1..3", saved.spec().spec());
      assertEquals("running", saved.state());
      assertEquals(List.of(1L, 3L), saved.pending().stream().map(Task::id).toList());
      assertEquals(List.of(ok(2, "2", "4")), saved.collected());
    }
    try (var db = DriverManager.getConnection("jdbc:sqlite:" + file);
        var rs = db.createStatement().executeQuery("SELECT attempts FROM tasks WHERE id = 3")) {
      rs.next();
      assertEquals(2, rs.getInt(1), "a re-queued task keeps its attempts across a restart");
    }
  }

  @Test
  void aJobsReplicasSurviveARestart() throws Exception {
    Path file = dir.resolve("graded.db");
    try (Journal journal = Journal.open(file)) {
      Job job =
          dispatcher.create(
              JobSpec.of("square 1..2", "square", List.of("1", "2")).withReplicas(3),
              false,
              new LinkedBlockingQueue<>());
      journal.submitted(job);
    }
    try (Journal reopened = Journal.open(file)) {
      assertEquals(3, reopened.load().get(0).spec().replicas());
    }
  }

  @Test
  void aJournalFromBeforeReplicasOpensWithOneReplicaPerTask() throws Exception {
    Path file = dir.resolve("before.db");
    try (var db = DriverManager.getConnection("jdbc:sqlite:" + file);
        var s = db.createStatement()) {
      s.execute(
          "CREATE TABLE jobs (id INTEGER PRIMARY KEY, spec TEXT NOT NULL, kind TEXT NOT NULL,"
              + " max_attempts INTEGER NOT NULL, task_timeout_ms INTEGER NOT NULL, code TEXT,"
              + " state TEXT NOT NULL, created_at TEXT NOT NULL)");
      s.execute(
          "INSERT INTO jobs VALUES (1, 'square 1..2', 'square', 3, 0, NULL, 'running', 'now')");
    }
    try (Journal journal = Journal.open(file)) {
      JobSpec spec = journal.load().get(0).spec();
      assertEquals("square 1..2", spec.spec());
      assertEquals(1, spec.replicas());
    }
  }

  @Test
  void severalJobsKeepTheirOwnTasksStatesAndCollectedFiles() throws Exception {
    Path file = dir.resolve("session.db");
    try (Journal journal = Journal.open(file)) {
      Job one = job("square 1..2", "square", List.of("1", "2"));
      journal.submitted(one);
      Job two = job("download @urls.txt", "download", List.of("http://h/a.jpg"));
      journal.submitted(two);
      journal.collected(List.of(ok(1, "1", "1"), ok(2, "2", "4")));
      journal.ended(one.id(), Job.State.FINISHED, one.progress());
      journal.kept(two.firstTaskId, "a.jpg");
    }
    try (Journal reopened = Journal.open(file)) {
      List<Journal.SavedJob> jobs = reopened.load();
      assertEquals(
          List.of("finished", "running"), jobs.stream().map(Journal.SavedJob::state).toList());
      assertEquals(
          List.of("http://h/a.jpg"), jobs.get(1).pending().stream().map(Task::input).toList());
      assertEquals(Map.of(3L, "a.jpg"), reopened.keptFiles());
    }
  }

  @Test
  void aJournalOfTheFirstVersionIsMovedToJobs() throws Exception {
    Path file = dir.resolve("old.db");
    try (var db = DriverManager.getConnection("jdbc:sqlite:" + file);
        var s = db.createStatement()) {
      s.execute(
          "CREATE TABLE job (id INTEGER PRIMARY KEY CHECK (id = 1), spec TEXT NOT NULL,"
              + " created_at TEXT NOT NULL)");
      s.execute(
          "CREATE TABLE tasks (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, input TEXT NOT"
              + " NULL, status TEXT NOT NULL, value TEXT, error TEXT, worker TEXT, attempts INTEGER"
              + " NOT NULL DEFAULT 0, millis INTEGER, submitted_at TEXT NOT NULL, finished_at TEXT)");
      s.execute("INSERT INTO job VALUES (1, 'square 1..2', '2026-11-22T10:00:00Z')");
      s.execute(
          "INSERT INTO tasks (id, kind, input, status, value, submitted_at) VALUES"
              + " (1, 'square', '1', 'ok', '1', 'x'), (2, 'square', '2', 'pending', NULL, 'x')");
    }
    try (Journal journal = Journal.open(file)) {
      Journal.SavedJob saved = journal.load().get(0);
      assertEquals("square 1..2", saved.spec().spec());
      assertEquals("square", saved.spec().kind());
      assertEquals(1, saved.pending().size());
      assertEquals("1", saved.collected().get(0).value());
    }
  }

  @Test
  void aFileThatIsNotAJournalIsNamedInTheError() throws Exception {
    Path file = dir.resolve("notes.txt");
    Files.writeString(file, "not a database at all, just some text that is long enough");
    IOException e = assertThrows(IOException.class, () -> Journal.open(file));
    assertTrue(
        e.getMessage().startsWith("the journal " + file + " cannot be opened as an rmiq journal"),
        e.getMessage());
  }
}
