package org.rmiq.internal.wire;

import java.io.InvalidObjectException;
import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import org.rmiq.report.JobProgress;
import org.rmiq.report.TaskOutcome;

/**
 * What a job did since its submitter last asked: its new outcomes (each task's exactly once) and
 * where it stands. It carries the public records themselves, packed here field by field.
 *
 * @param outcomes collected tasks, in the order they were collected
 * @param progress the job's counts and timing now
 * @param state {@code QUEUED}, {@code RUNNING}, {@code FINISHED} or {@code CANCELLED}
 * @param notices what the master would print about the job now (e.g. a kind no worker runs)
 * @param waitingBehind while it is queued, the job it waits for and how far that one is (e.g.
 *     {@code job 7 (sleep 1000x240, 60 % done)}); else empty
 * @param drained the job had ended and these are its last outcomes: no more will come (its state
 *     alone cannot say so, since a job is finished a moment before its last outcome is queued)
 */
public record JobEvents(
    List<TaskOutcome> outcomes,
    JobProgress progress,
    String state,
    List<String> notices,
    String waitingBehind,
    boolean drained)
    implements Serializable {

  public JobEvents {
    outcomes = List.copyOf(outcomes);
    notices = List.copyOf(notices);
  }

  private static void write(TaskOutcome o, Packer out) {
    out.i64(o.id())
        .i64(o.jobId())
        .text(o.kind())
        .text(o.input())
        .text(o.status())
        .text(o.value())
        .text(o.error())
        .text(o.worker())
        .i32(o.attempts())
        .i64(o.millis())
        .textMap(o.details());
  }

  private static TaskOutcome outcome(Unpacker in) throws InvalidObjectException {
    return new TaskOutcome(
        in.i64(),
        in.i64(),
        in.text(32),
        in.text(Task.MAX_INPUT_CHARS),
        state(in.text(16)),
        in.text(TaskResult.MAX_TEXT_CHARS),
        in.text(TaskResult.MAX_TEXT_CHARS),
        in.text(Texts.MAX_SHORT),
        in.i32(),
        in.i64(),
        in.textMap(TaskResult.MAX_DETAILS + 1, TaskResult.MAX_DETAIL_CHARS));
  }

  private static TaskOutcome.State state(String status) throws InvalidObjectException {
    for (TaskOutcome.State state : TaskOutcome.State.values()) {
      if (state.name().toLowerCase(java.util.Locale.ROOT).equals(status)) {
        return state;
      }
    }
    throw new InvalidObjectException("an unknown task status " + status);
  }

  private static void write(JobProgress p, Packer out) {
    out.i64(p.submitted())
        .i64(p.succeeded())
        .i64(p.failed())
        .i64(p.cancelled())
        .i64(p.pending())
        .i64(p.leased())
        .i32(p.workersConnected())
        .bool(p.workersJoined())
        .i64(p.work().toMillis())
        .i64(p.waited().toMillis());
  }

  private static JobProgress progress(Unpacker in) throws InvalidObjectException {
    return new JobProgress(
        in.i64(),
        in.i64(),
        in.i64(),
        in.i64(),
        in.i64(),
        in.i64(),
        in.i32(),
        in.bool(),
        Duration.ofMillis(in.i64()),
        Duration.ofMillis(in.i64()));
  }

  private Object writeReplace() {
    return Packed.of(
        Packed.JOB_EVENTS,
        out -> {
          out.list(outcomes, JobEvents::write);
          write(progress, out);
          out.text(state).texts(notices).text(waitingBehind).bool(drained);
        });
  }

  static JobEvents read(Unpacker in) throws InvalidObjectException {
    return new JobEvents(
        in.list(ExchangeRequest.MAX_TASKS, JobEvents::outcome),
        progress(in),
        in.text(16),
        in.texts(100, 4096),
        in.text(4096),
        in.bool());
  }
}
