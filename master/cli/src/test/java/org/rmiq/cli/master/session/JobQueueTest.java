package org.rmiq.cli.master.session;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.rmiq.master.Job;
import org.rmiq.master.JobSpec;
import org.rmiq.master.Master;
import org.rmiq.net.Token;

/**
 * A session's order of jobs, with a real master in this JVM and no worker: jobs end only by being
 * cancelled, so every step is the test's.
 */
class JobQueueTest {
  private Master master;
  private final ByteArrayOutputStream log = new ByteArrayOutputStream();
  private JobQueue queue;
  private Thread starter;

  @BeforeEach
  void start() throws Exception {
    master = Master.builder().port(0).token(Token.of("job-queue-test-token")).build().start();
    queue = new JobQueue(new PrintStream(log, true, StandardCharsets.UTF_8), false);
    starter = new Thread(queue::startInTurn, "job-queue-test");
    starter.setDaemon(true);
    starter.start();
  }

  @AfterEach
  void stop() throws Exception {
    starter.interrupt();
    starter.join(5_000);
    master.close();
  }

  private Job job(String spec) {
    return master.queueJob(JobSpec.of(spec, "sleep", List.of("100000")));
  }

  private Job awaitCurrent(Job expected) {
    await().atMost(Duration.ofSeconds(5)).until(() -> queue.current() == expected);
    return expected;
  }

  @Test
  void theTeachersJobsRunFirstThenTheStudentsEachInTurn() {
    Job student = job("sleep 100000x1 student");
    assertTrue(queue.addStudent(student, "10.0.0.7"));
    awaitCurrent(student); // nothing else waited: it starts at once
    Job teacher1 = job("sleep 100000x1 teacher-1");
    Job teacher2 = job("sleep 100000x1 teacher-2");
    Job student2 = job("sleep 100000x1 student-2");
    queue.addTeacher(teacher1);
    assertTrue(queue.addStudent(student2, "10.0.0.8"));
    queue.addTeacher(teacher2);
    assertEquals(List.of(teacher1, teacher2, student2), queue.waiting());
    assertEquals(1, queue.ahead(teacher1), "behind the running student job only");
    assertEquals(3, queue.ahead(student2), "after both teacher jobs");

    student.cancel("test");
    awaitCurrent(teacher1);
    teacher1.cancel("test");
    awaitCurrent(teacher2);
    teacher2.cancel("test");
    awaitCurrent(student2);
    assertEquals("10.0.0.8", queue.studentAddress(student2));
    String said = log.toString(StandardCharsets.UTF_8);
    assertTrue(said.contains("(a student's, from 10.0.0.7)"), said);
    student2.cancel("test");
  }

  @Test
  void oneStudentJobAtATimePerComputer() {
    Job first = job("sleep 100000x1 a");
    assertTrue(queue.addStudent(first, "10.0.0.7"));
    assertTrue(queue.hasStudentJob("10.0.0.7"));
    assertFalse(queue.addStudent(job("sleep 100000x1 b"), "10.0.0.7"));
    assertTrue(queue.addStudent(job("sleep 100000x1 c"), "10.0.0.9"), "another computer may");
    awaitCurrent(first);
    first.cancel("test");
    await().atMost(Duration.ofSeconds(5)).until(() -> !queue.hasStudentJob("10.0.0.7"));
    assertTrue(queue.addStudent(job("sleep 100000x1 d"), "10.0.0.7"), "its job ended");
  }

  @Test
  void aJobCancelledWhileItWaitsIsSkipped() {
    Job running = job("sleep 100000x1 running");
    queue.addTeacher(running);
    awaitCurrent(running);
    Job skipped = job("sleep 100000x1 skipped");
    Job next = job("sleep 100000x1 next");
    queue.addTeacher(skipped);
    queue.addTeacher(next);
    skipped.cancel("changed my mind");
    running.cancel("test");
    awaitCurrent(next);
    assertEquals(Job.State.CANCELLED, skipped.state());
    assertFalse(log.toString(StandardCharsets.UTF_8).contains("started: sleep 100000x1 skipped"));
    next.cancel("test");
  }

  @Test
  void unfinishedListsTheRunningJobAndTheWaitingOnesAndCancelAllEndsThemAll() {
    Job running = job("sleep 100000x1 running");
    queue.addTeacher(running);
    awaitCurrent(running);
    Job waiting = job("sleep 100000x1 waiting");
    Job student = job("sleep 100000x1 student");
    queue.addTeacher(waiting);
    queue.addStudent(student, "10.0.0.7");
    assertEquals(List.of(running, waiting, student), queue.unfinished());
    queue.cancelAll("the session stopped");
    assertEquals(List.of(), queue.unfinished());
    for (Job job : List.of(running, waiting, student)) {
      assertEquals(Job.State.CANCELLED, job.state(), job.spec().spec());
    }
    assertTrue(queue.waiting().isEmpty());
  }

  @Test
  void nothingRunsUntilAJobComes() {
    assertNull(queue.current());
    assertEquals(List.of(), queue.unfinished());
    assertEquals(0, queue.ahead(job("sleep 100000x1 never queued")));
  }
}
