package org.rmiq.cli.master.session;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.rmiq.master.Job;
import org.rmiq.report.JobProgress;
import org.rmiq.util.Printable;

/**
 * A session's jobs in the order they run: one at a time on the same workers, the teacher's first
 * (typed at the prompt, submitted with the teacher key, resumed from the journal), then the
 * students' ({@code --student-jobs}), each lane first come, first served. One thread starts each
 * job when the one before it has ended; a job cancelled while it waits is skipped.
 */
final class JobQueue {
  private final Object lock = new Object();

  /** The teacher's jobs waiting to start, oldest first. */
  @GuardedBy("lock")
  private final ArrayDeque<Job> teacher = new ArrayDeque<>();

  /** The students' jobs waiting to start, oldest first. */
  @GuardedBy("lock")
  private final ArrayDeque<Job> students = new ArrayDeque<>();

  /** The job running now, or null. */
  @GuardedBy("lock")
  private Job current;

  /** Which computer (address) each queued or running student job came from. */
  private final Map<Job, String> studentAddress = new ConcurrentHashMap<>();

  private final PrintStream log;
  private final boolean quiet;

  JobQueue(PrintStream log, boolean quiet) {
    this.log = log;
    this.quiet = quiet;
  }

  /** Queues a teacher's job. */
  void addTeacher(Job job) {
    synchronized (lock) {
      teacher.addLast(job);
      lock.notifyAll();
    }
  }

  /**
   * Queues a student's job from {@code address}, unless that computer has one queued or running.
   *
   * @return false when it has (one job at a time per computer)
   */
  boolean addStudent(Job job, String address) {
    synchronized (lock) {
      if (studentAddress.containsValue(address)) {
        return false;
      }
      studentAddress.put(job, address);
      students.addLast(job);
      lock.notifyAll();
      return true;
    }
  }

  /** Whether {@code address} has a student job queued or running. */
  boolean hasStudentJob(String address) {
    return studentAddress.containsValue(address);
  }

  /** The computer a student job came from, or null for a teacher's. */
  String studentAddress(Job job) {
    return studentAddress.get(job);
  }

  /** How many jobs run before {@code job}: the running one and those ahead of it. */
  int ahead(Job job) {
    synchronized (lock) {
      if (current == job) {
        return 0;
      }
      int ahead = current != null ? 1 : 0;
      for (Job waiting : teacher) {
        if (waiting == job) {
          return ahead;
        }
        ahead++;
      }
      for (Job waiting : students) {
        if (waiting == job) {
          return ahead;
        }
        ahead++;
      }
      return ahead;
    }
  }

  /** The job running now, or null. */
  Job current() {
    synchronized (lock) {
      return current;
    }
  }

  /** Every job still waiting to start, the teacher's first. */
  List<Job> waiting() {
    synchronized (lock) {
      List<Job> all = new java.util.ArrayList<>(teacher);
      all.addAll(students);
      return all;
    }
  }

  /** Starts the queued jobs in turn until interrupted (the session ends). */
  void startInTurn() {
    try {
      while (true) {
        Job job = next();
        if (job.isDone()) {
          studentAddress.remove(job);
          continue; // cancelled while it waited
        }
        job.start();
        if (!quiet) {
          log.println(
              "run-master: job "
                  + job.id()
                  + " started: "
                  + Printable.of(job.spec().spec(), 200)
                  + from(job));
        }
        while (!job.awaitDone(Duration.ofSeconds(1))) {
          // a job ends by itself or by cancel; nothing else ends the wait but the session
        }
        ended(job);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // the session ends
    }
  }

  private Job next() throws InterruptedException {
    synchronized (lock) {
      while (teacher.isEmpty() && students.isEmpty()) {
        lock.wait();
      }
      current = !teacher.isEmpty() ? teacher.pollFirst() : students.pollFirst();
      return current;
    }
  }

  private void ended(Job job) {
    synchronized (lock) {
      current = null;
    }
    String address = studentAddress.remove(job);
    if (!quiet) {
      JobProgress p = job.progress();
      log.printf(
          "run-master: job %d %s: %d ok, %d failed, %d cancelled, in %.2f s of work%s%n",
          job.id(),
          job.state() == Job.State.CANCELLED ? "cancelled" : "finished",
          p.succeeded(),
          p.failed(),
          p.cancelled(),
          p.work().toNanos() / 1e9,
          address == null ? "" : " (a student's, from " + address + ")");
    }
  }

  private String from(Job job) {
    String address = studentAddress.get(job);
    return address == null ? "" : " (a student's, from " + address + ")";
  }

  /** The jobs not ended yet: the running one, then the teacher's and the students' queued ones. */
  List<Job> unfinished() {
    List<Job> all = new java.util.ArrayList<>();
    synchronized (lock) {
      if (current != null) {
        all.add(current);
      }
      all.addAll(teacher);
      all.addAll(students);
    }
    all.removeIf(Job::isDone);
    return all;
  }

  /** Cancels every job still waiting, and the running one, saying why. */
  void cancelAll(String why) {
    List<Job> all;
    synchronized (lock) {
      all = new java.util.ArrayList<>(teacher);
      all.addAll(students);
      if (current != null) {
        all.add(current);
      }
      teacher.clear();
      students.clear();
    }
    all.forEach(job -> job.cancel(why));
  }
}
