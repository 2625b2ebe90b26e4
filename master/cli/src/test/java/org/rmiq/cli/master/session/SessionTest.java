package org.rmiq.cli.master.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.rmiq.cli.TokenSource;
import org.rmiq.cli.master.job.JobContext;
import org.rmiq.cli.master.launch.Banner;
import org.rmiq.cli.master.launch.Running;
import org.rmiq.master.Job;
import org.rmiq.master.JobIntake;
import org.rmiq.master.Master;
import org.rmiq.net.Token;

/**
 * What a session takes from whom, and what its prompt answers, with a real master in this JVM (port
 * 0, no worker): nothing here waits for a job to run.
 */
class SessionTest {
  private static final JobIntake.Submitter TEACHER = new JobIntake.Submitter(true, "10.0.0.1");
  private static final JobIntake.Submitter STUDENT = new JobIntake.Submitter(false, "10.0.0.7");
  private static final JobIntake.Submitter OTHER_STUDENT =
      new JobIntake.Submitter(false, "10.0.0.8");

  private Master master;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @BeforeEach
  void startMaster() throws Exception {
    master = Master.builder().port(0).token(Token.of("session-test-token")).build().start();
  }

  @AfterEach
  void stopMaster() {
    master.close();
  }

  private Session session(boolean studentJobs) {
    PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
    TokenSource token =
        new TokenSource(Token.of("session-test-token"), "a test", null, "x-y-z-w", List.of());
    Running running =
        new Running(
            master,
            null,
            null,
            new Banner(e, "127.0.0.1", master.port(), token, "abcd-efgh-ijkl-mnop", null),
            "127.0.0.1:" + master.port());
    return new Session(
        running,
        InputStream.nullInputStream(),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        e,
        (sources, code) ->
            new JobContext(sources, new SecureRandom(), 8, false, null, w -> {}, code),
        true,
        studentJobs);
  }

  private static JobIntake.Answer submit(Session session, JobIntake.Submitter from, String line) {
    return session.submit(List.of(line.split(" ")), Map.of(), from);
  }

  private static JobIntake.Refused refused(JobIntake.Answer answer) {
    return assertInstanceOf(JobIntake.Refused.class, answer);
  }

  @Test
  void withoutStudentJobsOnlyTheTeacherKeySubmits() {
    Session session = session(false);
    JobIntake.Refused refused = refused(submit(session, STUDENT, "square 1..3"));
    assertEquals(JobIntake.Reason.NEEDS_TEACHER_KEY, refused.reason());
    assertTrue(refused.message().contains("needs the teacher key"), refused.message());
    assertInstanceOf(JobIntake.Accepted.class, submit(session, TEACHER, "square 1..3"));
  }

  @Test
  void studentsSubmitBuiltInJobsOnlyOneAtATimePerComputerAndNeverCode() {
    Session session = session(true);
    JobIntake.Refused run = refused(submit(session, STUDENT, "run Who.java 1..3"));
    assertEquals(JobIntake.Reason.NEEDS_TEACHER_KEY, run.reason());
    assertTrue(run.message().contains("'run' needs the teacher key"), run.message());
    JobIntake.Refused replicas = refused(submit(session, STUDENT, "--replicas 2 square 1..3"));
    assertEquals(JobIntake.Reason.NEEDS_TEACHER_KEY, replicas.reason());
    assertInstanceOf(JobIntake.Accepted.class, submit(session, STUDENT, "square 1..3"));
    JobIntake.Refused second = refused(submit(session, STUDENT, "sleep 10x2"));
    assertEquals(JobIntake.Reason.QUOTA, second.reason());
    assertInstanceOf(JobIntake.Accepted.class, submit(session, OTHER_STUDENT, "sleep 10x2"));
  }

  @Test
  void theTeachersJobsRunBeforeTheStudents() {
    Session session = session(true);
    JobIntake.Accepted student =
        assertInstanceOf(JobIntake.Accepted.class, submit(session, STUDENT, "square 1..3"));
    JobIntake.Accepted teacher =
        assertInstanceOf(JobIntake.Accepted.class, submit(session, TEACHER, "square 4..6"));
    assertEquals(0, teacher.queuedBehind(), "first in line, ahead of the student's");
    assertEquals("student 10.0.0.7", student.job().spec().submitter());
    assertEquals("teacher", teacher.job().spec().submitter());
  }

  @Test
  void optionsOfWhoeverFollowsTheJobAreRefusedWhenTheyCameAlongWithIt() {
    JobIntake.Refused refused =
        refused(submit(session(false), TEACHER, "--out /x/y.jsonl square 1"));
    assertEquals(JobIntake.Reason.BAD_JOB, refused.reason());
    assertTrue(refused.message().startsWith("--out belongs to whoever follows the job"));
  }

  @Test
  void aBadJobIsRefusedWithTheSameWordsAsAtThePrompt() {
    JobIntake.Refused refused = refused(submit(session(false), TEACHER, "square 5..1"));
    assertEquals(JobIntake.Reason.BAD_JOB, refused.reason());
    assertTrue(refused.message().contains("range '5..1' is empty"), refused.message());
  }

  @Test
  void theTeacherCancelsAQueuedJobFromAnotherMachine() {
    Session session = session(false);
    Job job =
        assertInstanceOf(JobIntake.Accepted.class, submit(session, TEACHER, "square 1..3")).job();
    assertEquals(
        "job " + job.id() + " cancelled; its tasks were withdrawn", session.cancel(job.id()));
    assertEquals("job " + job.id() + " has ended already", session.cancel(job.id()));
    assertEquals("there is no job 999 on this master", session.cancel(999));
    assertEquals(3, job.progress().cancelled());
  }

  @Test
  void thePromptAnswersJobsStatusCancelAndHelpWithoutWaitingForAJob() {
    Session session = session(false);
    Console console =
        Console.plain(
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    assertTrue(session.command(List.of("sleep", "100000x2"), console));
    assertTrue(session.command(List.of("jobs"), console));
    assertTrue(session.command(List.of("status"), console));
    assertTrue(session.command(List.of("cancel", "1"), console));
    assertTrue(session.command(List.of("help"), console));
    String printed = out.toString(StandardCharsets.UTF_8);
    String said = err.toString(StandardCharsets.UTF_8);
    assertTrue(printed.contains("sleep 100000x2"), printed);
    assertTrue(printed.contains("0 worker(s) connected"), printed);
    assertTrue(printed.contains("--queue-timeout"), "help lists every job option: " + printed);
    assertTrue(said.contains("job 1 cancelled; its tasks were withdrawn"), said);
    assertTrue(session.command(List.of("cancel", "x"), console));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("cancel takes a job number"));
    assertEquals(false, session.command(List.of("quit"), console));
  }

  @Test
  void completionKnowsEveryJobOption() {
    List<String> words = Session.completions();
    assertTrue(words.containsAll(List.of("--replicas", "--queue-timeout", "--out", "square")));
  }

  /**
   * Runs {@code session} on a thread of its own, as the launcher does; its prompt reads nothing.
   */
  private static Thread running(Session session) {
    Thread thread =
        new Thread(
            () -> {
              try {
                session.run();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "session-under-test");
    thread.start();
    return thread;
  }

  private Console console() {
    return Console.plain(
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void aPromptJobJournalsTheOptionsOfWhoeverFollowsItToo() {
    Session session = session(false);
    session.command(
        SessionPrompt.words("sleep 100000x2 --out 'my results.jsonl' --timeout 1m --replicas 2"),
        console());
    Job job = master.jobs().get(0);
    assertEquals("sleep 100000x2", job.spec().spec());
    assertEquals(
        "--replicas 2 --out 'my results.jsonl' --timeout 1m",
        job.spec().options(),
        "read back word for word by the prompt's own splitting");
    assertEquals("prompt", job.spec().submitter());
    session.cancel(job.id());
  }

  @Test
  void withoutAJournalEndingTheSessionCancelsItsUnfinishedJobs() throws Exception {
    Session session = session(false);
    Thread thread = running(session);
    session.command(List.of("sleep", "100000x2"), console());
    session.stop();
    thread.join(10_000);
    assertEquals(Job.State.CANCELLED, master.jobs().get(0).state());
    String said = err.toString(StandardCharsets.UTF_8);
    assertTrue(!said.contains("kept in"), said);
  }

  @Test
  void withAJournalEndingTheSessionKeepsItsJobsAndTheNextSessionResumesAndFollowsThem(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    master.close();
    java.nio.file.Path journal = dir.resolve("lab.db");
    master =
        Master.builder()
            .port(0)
            .token(Token.of("session-test-token"))
            .journal(journal)
            .build()
            .start();
    Session first = session(false);
    Thread thread = running(first);
    first.command(SessionPrompt.words("sleep 100000x2 --out " + dir.resolve("r.jsonl")), console());
    first.command(List.of("square", "1..3"), console());
    first.stop();
    thread.join(10_000);
    String said = err.toString(StandardCharsets.UTF_8);
    assertTrue(said.contains("2 unfinished job(s) kept in " + journal + " (job 1, job 2)"), said);
    master.close();
    assertEquals(
        List.of("queued", "queued"),
        Master.journaledJobs(journal).stream()
            .map(Master.JournaledJob::state)
            .map(state -> state.equals("running") ? "queued" : state)
            .toList(),
        "kept unfinished, not cancelled");

    err.reset();
    master =
        Master.builder()
            .port(0)
            .token(Token.of("session-test-token"))
            .journal(journal)
            .build()
            .start();
    Session second = session(false);
    Thread again = running(second);
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(10))
        .until(() -> err.toString(StandardCharsets.UTF_8).contains("resuming job 2"));
    assertEquals(2, master.resumable().size());
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("resuming job 1 from the journal"));
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(10))
        .until(() -> java.nio.file.Files.exists(dir.resolve("r.jsonl")));
    second.stop();
    again.join(10_000);
    assertTrue(
        err.toString(StandardCharsets.UTF_8).contains("2 unfinished job(s) kept in"),
        "still unfinished, still kept");
  }
}
