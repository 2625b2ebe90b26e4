package org.rmiq.master;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.rmiq.internal.wire.Task;
import org.rmiq.internal.wire.TaskResult;

/**
 * A task not yet collected, and who may answer for it. Guarded by the dispatcher's lock.
 *
 * <p>{@link #holders} lists every session that was handed the task, so a result counts only from
 * one of them (a late but genuine result still wins if none arrived first); {@link #current} is who
 * holds it now: usually one session, two after an overdue task was handed to another worker.
 */
final class TaskEntry implements Waiting {
  /** The task's id, unique on the master. */
  final long id;

  /**
   * The task's input (a {@link NumberRange} job's made when its entry is, at the lease); its kind,
   * code and time limit are its job's.
   */
  private final String input;

  final Job job;

  /** How many times the task was handed out (backup copies not counted). */
  int attempts;

  /** How many backup copies were handed out besides (see {@link LeasePolicy}). */
  int backups;

  /**
   * Every session it was handed to, oldest first (ids, and the rows to credit). This and {@link
   * #current} are the shared empty {@link FewSessions#NONE} until the task is first handed out: a
   * million waiting tasks then cost no sets (48 bytes a task that the collector copied while a big
   * job was being made).
   */
  FewSessions holders = FewSessions.NONE;

  /** The sessions holding it now. */
  FewSessions current = FewSessions.NONE;

  /** When it was last handed out (ticker time). */
  long leasedAt;

  /** When its latest attempt overruns the task timeout (ticker time); MAX_VALUE for never. */
  long deadline = Long.MAX_VALUE;

  /** When a failed task may be handed out again (ticker time). */
  long retryAt;

  /** Whether it waits in the pending queue now. */
  boolean pending;

  /** Whether it waits out a retry back-off now. */
  boolean backingOff;

  /** The values workers sent so far, for a job with replicas; null until the first. */
  List<Answer> answers;

  /**
   * The worker JVMs that declined this task by their own settings (null until one does): it is not
   * offered to them again. Rare, so a small list.
   */
  List<Registry.LinkRec> declinedBy;

  /** The sessions that hold a backup copy of it (null until one does), for the timeline. */
  FewSessions backupHolders;

  /** The last reason a worker gave for declining it. */
  String declinedWhy;

  /** Marks {@code link} as one that will not run this task. */
  void declinedBy(Registry.LinkRec link) {
    if (declinedBy == null) {
      declinedBy = new ArrayList<>(2);
    }
    if (!declinedBy.contains(link)) {
      declinedBy.add(link);
    }
  }

  /** One worker's successful result for a replicated task. */
  record Answer(Registry.SessionRec by, TaskResult result) {}

  TaskEntry(long id, String input, Job job) {
    this.id = id;
    this.input = input;
    this.job = job;
  }

  /**
   * The entry of a new job's task number {@code index} (from 0, its id {@link Job#firstTaskId} +
   * index), made when it is handed out ({@link UnmadeTasks}).
   */
  static TaskEntry ofIndex(Job job, int index) {
    return new TaskEntry(job.firstTaskId + index, job.spec().inputs().get(index), job);
  }

  /** The entries of {@code tasks} of {@code job} (restored from the journal). */
  static List<TaskEntry> of(List<Task> tasks, Job job) {
    List<TaskEntry> entries = new ArrayList<>(tasks.size());
    for (Task task : tasks) {
      entries.add(new TaskEntry(task.id(), task.input(), job));
    }
    return entries;
  }

  /**
   * The task to hand out, made afresh from its job at each lease: a waiting task then costs no
   * {@link Task} record (40 bytes, made and copied by the collector while a big job was being made,
   * before any worker could start on it).
   */
  Task task() {
    JobSpec spec = job.spec();
    return new Task(id, spec.kind(), input(), spec.code(), spec.taskTimeout().toMillis());
  }

  String input() {
    return input;
  }

  @Override
  public Job job() {
    return job;
  }

  @Override
  public long nextId() {
    return id;
  }

  /** The SHA-256 of the shipped code its kind runs, or null for a kind the workers have. */
  String code() {
    return job.spec().code();
  }

  /** How long one attempt may run, in milliseconds; 0 for no limit. */
  long timeoutMillis() {
    return job.spec().taskTimeout().toMillis();
  }

  /**
   * Its task's id: a session's {@code held} set adds and removes every task, and an identity hash
   * is a call into the JVM until the JIT's last tier compiles the caller. Equality stays identity,
   * Object's own (two entries with one id, as a hand-edited journal could bring, are two entries).
   */
  @Override
  public int hashCode() {
    return Long.hashCode(id);
  }

  /** Hands the task to {@code session}: it holds it now, and may answer for it from now on. */
  void handedTo(Registry.SessionRec session) {
    if (holders == FewSessions.NONE) {
      holders = new FewSessions();
      current = new FewSessions();
    }
    if (!holders.contains(session)) {
      holders.add(session);
    }
    current.add(session);
  }

  boolean heldBy(String sessionId) {
    return holder(sessionId) != null;
  }

  Registry.SessionRec holder(String sessionId) {
    Registry.SessionRec first = holders.first();
    if (first != null && first.id.equals(sessionId)) {
      return first; // the usual case, one holder: no iterator, no copy
    }
    for (Registry.SessionRec s : holders) {
      if (s.id.equals(sessionId)) {
        return s;
      }
    }
    return null;
  }

  long id() {
    return id;
  }

  int replicas() {
    return job.spec().replicas();
  }

  /**
   * Whether {@code session} must not be handed this task: it holds it already, or, for a job with
   * replicas, another session of its worker JVM (the same link) holds or answered it, since one
   * worker cannot cross-check itself; nor can one computer while a computer not yet involved runs
   * the kind, since a student could run two JVMs and agree with themselves.
   */
  boolean closedTo(Registry.SessionRec session, Registry registry) {
    if (current.contains(session)) { // it holds it now (as its held set says, but no hashing)
      return true;
    }
    if (declinedBy != null && declinedBy.contains(session.link)) {
      return true; // it said it will not run this one
    }
    if (replicas() <= 1) {
      return false;
    }
    if (involves(session.link)) {
      return true;
    }
    if (!involves(session.link.address)) {
      return false;
    }
    for (InetAddress computer : registry.computersRunning(kind())) {
      if (!involves(computer)) {
        return true; // a computer not yet involved can take this replica: it waits for that one
      }
    }
    return false; // every computer that runs it is involved: another JVM is the best there is
  }

  /** Whether a session at {@code address} holds this task now or has answered it. */
  private boolean involves(InetAddress address) {
    for (Registry.SessionRec s : current) {
      if (s.link.address.equals(address)) {
        return true;
      }
    }
    if (answers != null) {
      for (Answer a : answers) {
        if (a.by().link.address.equals(address)) {
          return true;
        }
      }
    }
    return false;
  }

  /** Whether a session of {@code link} holds this task now or has answered it. */
  boolean involves(Registry.LinkRec link) {
    for (Registry.SessionRec s : current) {
      if (s.link == link) {
        return true;
      }
    }
    return answeredBy(link);
  }

  boolean answeredBy(Registry.LinkRec link) {
    if (answers != null) {
      for (Answer a : answers) {
        if (a.by().link == link) {
          return true;
        }
      }
    }
    return false;
  }

  /** How many different workers hold or answered it: the replicas under way. */
  int replicasUnderWay() {
    List<Registry.LinkRec> links = new ArrayList<>(replicas());
    for (Registry.SessionRec s : current) {
      if (!links.contains(s.link)) {
        links.add(s.link);
      }
    }
    if (answers != null) {
      for (Answer a : answers) {
        if (!links.contains(a.by().link)) {
          links.add(a.by().link);
        }
      }
    }
    return links.size();
  }

  String kind() {
    return job.spec().kind();
  }
}
