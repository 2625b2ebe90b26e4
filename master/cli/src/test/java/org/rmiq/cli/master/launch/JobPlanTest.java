package org.rmiq.cli.master.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rmiq.cli.master.job.JobContext;
import org.rmiq.cli.master.job.JobKind;
import org.rmiq.cli.master.job.JobKinds;
import org.rmiq.cli.master.job.Sources;
import org.rmiq.master.JobSpec;
import org.rmiq.master.Master;
import org.rmiq.net.Token;

/** What a one-shot master decides to run from its words and its journal. */
class JobPlanTest {
  @TempDir Path dir;
  private final AtomicInteger parsed = new AtomicInteger();

  private JobKind parse(List<String> words) {
    parsed.incrementAndGet();
    return JobKinds.parse(
        words,
        new JobContext(
            Sources.local(java.io.InputStream.nullInputStream()),
            new SecureRandom(),
            8,
            false,
            null,
            w -> {},
            null));
  }

  private JobPlan plan(Path journal, String... words) {
    List<String> list = List.of(words);
    return JobPlan.of(list, journal, () -> parse(list));
  }

  private String refusal(Path journal, String... words) {
    return assertThrows(IllegalArgumentException.class, () -> plan(journal, words)).getMessage();
  }

  /** A journal holding one unfinished job, as a master killed mid-job leaves it. */
  private Path journalWithUnfinished(String spec, List<String> inputs) throws Exception {
    Path journal = dir.resolve("job.db");
    try (Master master =
        Master.builder()
            .port(0)
            .token(Token.of("job-plan-test-token"))
            .journal(journal)
            .build()
            .start()) {
      master.startJob(JobSpec.of(spec, "square", inputs));
    }
    return journal;
  }

  @Test
  void withoutAJournalTheWordsAreANewJob() {
    JobPlan plan = plan(null, "square", "1..3");
    assertEquals(-1, plan.resumeId());
    assertEquals("square 1..3", plan.kind().spec());
    assertEquals(1, parsed.get());
  }

  @Test
  void aNewJournalTakesANewJob() {
    JobPlan plan = plan(dir.resolve("new.db"), "square", "1..3");
    assertEquals(-1, plan.resumeId());
  }

  @Test
  void aJournalWithAnUnfinishedJobResumesItWithTheSameWordsOrNone() throws Exception {
    Path journal = journalWithUnfinished("square 1..3", List.of("1", "2", "3"));
    JobPlan same = plan(journal, "square", "1..3");
    assertEquals(1, same.resumeId());
    assertEquals("resume: square 1..3", same.title());
    JobPlan none = plan(journal);
    assertEquals(1, none.resumeId());
    assertEquals(0, parsed.get(), "a resumed job's inputs are the journal's: nothing is read");
  }

  @Test
  void anotherJobOnAJournalThatHoldsAnUnfinishedOneIsRefusedSayingWhatToDo() throws Exception {
    Path journal = journalWithUnfinished("square 1..3", List.of("1", "2", "3"));
    String message = refusal(journal, "square", "1..4");
    assertTrue(message.contains("holds the unfinished job 'square 1..3'"), message);
    assertTrue(message.contains("give the same job or none"), message);
    assertTrue(message.contains("give a new journal file"), message);
  }

  @Test
  void retryFailedNeedsAJournalThatHoldsAJob() {
    assertTrue(refusal(null, "retry-failed").startsWith("retry-failed needs --journal FILE"));
    assertTrue(
        refusal(dir.resolve("empty.db"), "retry-failed").endsWith("no failed tasks to retry"));
  }

  @Test
  void retryFailedOnAJobWithNoFailuresRequeuesNothing() throws Exception {
    Path journal = journalWithUnfinished("square 1..3", List.of("1", "2", "3"));
    JobPlan plan = plan(journal, "retry-failed");
    assertEquals(1, plan.resumeId());
    assertEquals("retry 0 failed task(s) of: square 1..3", plan.title());
  }
}
