package org.rmiq.cli.master.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.rmiq.cli.master.job.JobKinds;
import org.rmiq.cli.master.job.JobOptions;
import org.rmiq.master.Job;
import org.rmiq.master.JobSpec;
import org.rmiq.master.Master;
import org.rmiq.net.Token;

/**
 * The prompt's {@code help}, {@code jobs}, {@code status} and {@code cancel N}, with a real master
 * in this JVM (port 0) and no worker: queued jobs never start, so every state is the test's.
 */
class PromptCommandsTest {
  private Master master;
  private JobQueue queue;
  private PromptCommands commands;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @BeforeEach
  void start() throws Exception {
    master = Master.builder().port(0).token(Token.of("prompt-commands-test")).build().start();
    PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
    PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
    queue = new JobQueue(e, false);
    commands = new PromptCommands(master, queue, Console.plain(o, e), "10.0.0.1:5000");
  }

  @AfterEach
  void stop() {
    master.close();
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  private Job queued(String spec, int tasks) {
    return master.queueJob(JobSpec.of(spec, "sleep", java.util.Collections.nCopies(tasks, "10")));
  }

  @Test
  void helpListsEveryJobEveryJobOptionAndHowOthersSubmit() {
    commands.help();
    String help = out();
    JobKinds.USAGE.forEach(line -> assertTrue(help.contains(line), "help shows: " + line));
    for (String option : JobOptions.names()) {
      assertTrue(help.contains(option), "help names " + option);
    }
    assertTrue(help.contains("--replicas"), help);
    assertTrue(help.contains("scripts/rmiq-submit.sh 10.0.0.1:5000 JOB"), help);
  }

  @Test
  void jobsSaysSoWhenThereAreNone() {
    commands.jobs();
    assertEquals("no jobs yet", out().strip());
  }

  @Test
  void jobsListsEachJobWithItsStateCountsAndTheStudentItCameFrom() {
    Job teachers = queued("sleep 10x3", 3);
    Job students = queued("sleep 10x2 (student)", 2);
    queue.addTeacher(teachers);
    assertTrue(queue.addStudent(students, "10.0.0.7"));
    commands.jobs();
    List<String> lines = out().lines().toList();
    assertEquals(3, lines.size(), out());
    assertTrue(lines.get(0).contains("as typed"), lines.get(0));
    assertTrue(
        lines.get(1).matches("\\s+" + teachers.id() + "\\s+queued\\s+3\\s+0\\s+0\\s+0.*"),
        lines.get(1));
    assertTrue(lines.get(1).endsWith("sleep 10x3"), lines.get(1));
    assertTrue(lines.get(2).endsWith("(student at 10.0.0.7)"), lines.get(2));
  }

  @Test
  void cancelWithdrawsAQueuedJobAndSaysSo() {
    Job job = queued("sleep 10x4", 4);
    commands.cancel(List.of("cancel", String.valueOf(job.id())));
    assertEquals(Job.State.CANCELLED, job.state());
    assertEquals(4, job.progress().cancelled());
    assertTrue(err().contains("job " + job.id() + " cancelled; its tasks were withdrawn"), err());
  }

  @Test
  void cancelOfAnEndedJobChangesNothing() {
    Job job = queued("sleep 10x1", 1);
    job.cancel("test");
    commands.cancel(List.of("cancel", String.valueOf(job.id())));
    assertTrue(err().contains("job " + job.id() + " has ended already"), err());
  }

  @Test
  void cancelWithoutAJobNumberOrWithAnUnknownOneSaysWhatToType() {
    commands.cancel(List.of("cancel"));
    commands.cancel(List.of("cancel", "three"));
    commands.cancel(List.of("cancel", "1", "2"));
    commands.cancel(List.of("cancel", "99"));
    List<String> lines = err().lines().toList();
    assertEquals(4, lines.size(), err());
    for (String line : lines.subList(0, 3)) {
      assertEquals("run-master: cancel takes a job number, e.g. cancel 3 (jobs lists them)", line);
    }
    assertEquals("run-master: there is no job 99 (jobs lists them)", lines.get(3));
  }

  @Test
  void statusCountsWorkersAndTasksAndNamesTheQueue() {
    queue.addTeacher(queued("sleep 10x2", 2));
    queue.addTeacher(queued("sleep 10x5", 5));
    commands.status();
    String status = out();
    assertTrue(
        status.startsWith(
            "0 worker(s) connected; 7 task(s) waiting, 0 running; 0 done, 0 failed,"
                + " 0 cancelled in all"),
        status);
    assertTrue(status.contains("  queued: 2 job(s)"), status);
  }
}
