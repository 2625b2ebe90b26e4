package org.rmiq.master;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rmiq.internal.wire.Task;

class JournalTest {
  @TempDir Path dir;

  private static TaskOutcome ok(long id, String input, String value) {
    return new TaskOutcome(id, "square", input, true, value, null, "w", 1, 2);
  }

  @Test
  void aJobAndItsTasksAreRecordedTogetherAndResultsKeepTheFirstOutcome() throws Exception {
    Path file = dir.resolve("job.db");
    try (Journal journal = Journal.open(file)) {
      assertEquals(Optional.empty(), journal.job());
      journal.submitted(
          "square 1..3",
          List.of(
              new Task(1, "square", "1"), new Task(2, "square", "2"), new Task(3, "square", "3")));
      journal.collected(List.of(ok(2, "2", "4")));
      journal.collected(List.of(ok(2, "2", "not this one")));
    }
    try (Journal reopened = Journal.open(file)) {
      assertEquals(Optional.of("square 1..3"), reopened.job());
      Journal.Contents contents = reopened.load();
      assertEquals(List.of(1L, 3L), contents.pending().stream().map(Task::id).toList());
      assertEquals(List.of(ok(2, "2", "4")), contents.collected());
    }
  }

  @Test
  void detailsSurviveAndOldJournalsGainTheColumn() throws Exception {
    Path file = dir.resolve("old.db");
    // A journal as the first version wrote it: no details column.
    try (java.sql.Connection db = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file);
        java.sql.Statement s = db.createStatement()) {
      s.execute(
          "CREATE TABLE tasks (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, input TEXT NOT"
              + " NULL, status TEXT NOT NULL, value TEXT, error TEXT, worker TEXT, attempts INTEGER"
              + " NOT NULL DEFAULT 0, millis INTEGER, submitted_at TEXT NOT NULL, finished_at TEXT)");
    }
    TaskOutcome download =
        new TaskOutcome(
            1,
            "download",
            "http://h/a.jpg",
            true,
            "a.jpg",
            null,
            "w",
            1,
            5,
            java.util.Map.of("bytes", "3", "sha256", "ab"));
    try (Journal journal = Journal.open(file)) {
      journal.submitted(
          "download @u.txt",
          List.of(
              new Task(1, "download", "http://h/a.jpg"),
              new Task(2, "download", "http://h/b.jpg")));
      journal.collected(
          List.of(
              download,
              new TaskOutcome(
                  2, "download", "http://h/b.jpg", false, null, "HTTP 404", "w", 1, 1)));
    }
    try (Journal reopened = Journal.open(file)) {
      List<TaskOutcome> collected = reopened.load().collected();
      assertEquals(download, collected.get(0));
      assertEquals(java.util.Map.of(), collected.get(1).details());
    }
  }

  @Test
  void failedTasksCanBeQueuedAgain() throws Exception {
    try (Journal journal = Journal.open(dir.resolve("j.db"))) {
      journal.submitted("square 1", List.of(new Task(1, "square", "1")));
      journal.collected(List.of(new TaskOutcome(1, "square", "1", false, null, "boom", "w", 3, 0)));
      assertEquals(1, journal.requeueFailed());
      assertEquals(1, journal.load().pending().size());
      assertEquals(0, journal.requeueFailed());
    }
  }

  @Test
  void aFileThatIsNotAJournalIsNamedInTheError() throws Exception {
    Path file = dir.resolve("notes.txt");
    Files.writeString(
        file, "this is not a database, just some text that is long enough. ".repeat(100));
    IOException e = assertThrows(IOException.class, () -> Journal.open(file));
    assertTrue(
        e.getMessage()
            .startsWith("--journal " + file + " cannot be opened as an rmiq" + " journal"),
        e.getMessage());
  }
}
