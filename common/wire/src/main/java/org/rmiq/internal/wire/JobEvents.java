package org.rmiq.internal.wire;

import java.io.InvalidObjectException;
import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * What a job did since its submitter last asked: its new outcomes (each task's exactly once) and
 * where it stands.
 *
 * @param outcomes collected tasks, in the order they were collected
 * @param progress the job's counts and timing now
 * @param state {@code QUEUED}, {@code RUNNING}, {@code FINISHED} or {@code CANCELLED}
 * @param notices what the master would print about the job now (e.g. a kind no worker runs)
 */
public record JobEvents(
    List<Outcome> outcomes, Progress progress, String state, List<String> notices)
    implements Serializable {

  public JobEvents {
    outcomes = List.copyOf(outcomes);
    notices = List.copyOf(notices);
  }

  /** A collected task, as {@code TaskOutcome} on the master. */
  public record Outcome(
      long id,
      String kind,
      String input,
      boolean ok,
      String value,
      String error,
      String worker,
      int attempts,
      long millis,
      Map<String, String> details) {

    public Outcome {
      details = Map.copyOf(details);
    }

    void write(Packer out) {
      out.i64(id)
          .text(kind)
          .text(input)
          .bool(ok)
          .text(value)
          .text(error)
          .text(worker)
          .i32(attempts)
          .i64(millis)
          .textMap(details);
    }

    static Outcome read(Unpacker in) throws InvalidObjectException {
      return new Outcome(
          in.i64(),
          in.text(32),
          in.text(Task.MAX_INPUT_CHARS),
          in.bool(),
          in.text(TaskResult.MAX_TEXT_CHARS),
          in.text(TaskResult.MAX_TEXT_CHARS),
          in.text(Texts.MAX_SHORT),
          in.i32(),
          in.i64(),
          in.textMap(TaskResult.MAX_DETAILS + 1, TaskResult.MAX_DETAIL_CHARS));
    }
  }

  /**
   * A job's counts and timing.
   *
   * @param submitted its tasks
   * @param succeeded collected with a value
   * @param failed collected as failed
   * @param pending waiting for a worker
   * @param leased held by workers
   * @param workersConnected worker sessions connected to the master now
   * @param workersJoined whether any worker has joined the master since the job started
   * @param workMillis from the job's first task taken to its last result, so far (0 before)
   * @param waitMillis from the job's start to its first task taken (so far)
   */
  public record Progress(
      long submitted,
      long succeeded,
      long failed,
      long pending,
      long leased,
      int workersConnected,
      boolean workersJoined,
      long workMillis,
      long waitMillis) {

    void write(Packer out) {
      out.i64(submitted)
          .i64(succeeded)
          .i64(failed)
          .i64(pending)
          .i64(leased)
          .i32(workersConnected)
          .bool(workersJoined)
          .i64(workMillis)
          .i64(waitMillis);
    }

    static Progress read(Unpacker in) throws InvalidObjectException {
      return new Progress(
          in.i64(), in.i64(), in.i64(), in.i64(), in.i64(), in.i32(), in.bool(), in.i64(),
          in.i64());
    }
  }

  private Object writeReplace() {
    return Packed.of(
        Packed.JOB_EVENTS,
        out -> {
          out.list(outcomes, Outcome::write);
          progress.write(out);
          out.text(state).texts(notices);
        });
  }

  static JobEvents read(Unpacker in) throws InvalidObjectException {
    return new JobEvents(
        in.list(ExchangeRequest.MAX_TASKS, Outcome::read),
        Progress.read(in),
        in.text(16),
        in.texts(100, 4096));
  }
}
