package org.rmiq.internal.wire;

import java.io.InvalidObjectException;
import org.rmiq.report.StatusReport;
import org.rmiq.report.StatusReport.Guesser;
import org.rmiq.report.StatusReport.JobStatus;
import org.rmiq.report.StatusReport.RecentResult;
import org.rmiq.report.StatusReport.Share;
import org.rmiq.report.StatusReport.WorkerStatus;

/**
 * The packed form of the public {@link StatusReport}: the report is part of rmiq's API (the status
 * page's JSON, {@code Master.status()}), its wire form is not, so the packing lives here. Every
 * list is bounded as it is read, and the records validate in their constructors.
 */
public final class StatusCodec {
  private StatusCodec() {}

  /** The report's serial form (its {@code writeReplace}). */
  public static Object pack(StatusReport s) {
    return Packed.of(
        Packed.STATUS_REPORT,
        out ->
            out.bool(s.phase().equals("FINISHED"))
                .i64(s.uptimeMillis())
                .i64(s.submitted())
                .i64(s.pending())
                .i64(s.leased())
                .i64(s.succeeded())
                .i64(s.failed())
                .i64(s.cancelled())
                .i64(s.duplicates())
                .i64(s.forged())
                .i64(s.refusedConnections())
                .i64(s.busyRefusals())
                .list(s.guessers(), StatusCodec::write)
                .f64(s.tasksPerSecond())
                .longs(s.history())
                .list(s.workers(), StatusCodec::write)
                .i32(s.workersTotal())
                .list(s.recent(), StatusCodec::write)
                .list(s.failures(), StatusCodec::write)
                .list(s.jobs(), StatusCodec::write)
                .texts(s.notices()));
  }

  static StatusReport read(Unpacker in) throws InvalidObjectException {
    return new StatusReport(
        in.bool() ? "FINISHED" : "RUNNING",
        in.i64(),
        in.i64(),
        in.i64(),
        in.i64(),
        in.i64(),
        in.i64(),
        in.i64(),
        in.i64(),
        in.i64(),
        in.i64(),
        in.i64(),
        in.list(1000, StatusCodec::guesser),
        in.f64(),
        in.longs(1000),
        in.list(StatusReport.MAX_WORKERS, StatusCodec::worker),
        in.i32(),
        in.list(100, StatusCodec::recent),
        in.list(100, StatusCodec::recent),
        in.list(StatusReport.MAX_JOBS, StatusCodec::job),
        in.texts(100, 4096));
  }

  private static void write(WorkerStatus w, Packer out) {
    out.text(w.name())
        .text(w.host())
        .bool(w.connected())
        .i32(w.threads())
        .i64(w.done())
        .i64(w.failed())
        .f64(w.tasksPerSecond())
        .f64(w.meanMillis())
        .i64(w.lastSeenMillisAgo())
        .bool(w.acceptsCode())
        .i64(w.currentJob());
  }

  private static WorkerStatus worker(Unpacker in) throws InvalidObjectException {
    return new WorkerStatus(
        in.text(Texts.MAX_SHORT),
        in.text(Texts.MAX_SHORT),
        in.bool(),
        in.i32(),
        in.i64(),
        in.i64(),
        in.f64(),
        in.f64(),
        in.i64(),
        in.bool(),
        in.i64());
  }

  private static void write(RecentResult r, Packer out) {
    out.i64(r.id()).text(r.kind()).text(r.input()).bool(r.ok()).text(r.text()).text(r.worker());
  }

  private static RecentResult recent(Unpacker in) throws InvalidObjectException {
    return new RecentResult(
        in.i64(), in.text(32), in.text(200), in.bool(), in.text(200), in.text(Texts.MAX_SHORT));
  }

  private static void write(Guesser g, Packer out) {
    out.text(g.peer()).i64(g.wrongCodes()).i64(g.secondsSinceLast());
  }

  private static Guesser guesser(Unpacker in) throws InvalidObjectException {
    return new Guesser(in.text(64), in.i64(), in.i64());
  }

  private static void write(JobStatus j, Packer out) {
    out.i64(j.id())
        .text(j.spec())
        .text(j.submitter())
        .text(j.state())
        .i64(j.submitted())
        .i64(j.succeeded())
        .i64(j.failed())
        .i64(j.cancelled())
        .i64(j.pending())
        .i64(j.leased())
        .i64(j.workMillis())
        .i64(j.waitMillis())
        .i32(j.workers())
        .list(j.shares(), StatusCodec::write);
  }

  private static JobStatus job(Unpacker in) throws InvalidObjectException {
    return new JobStatus(
        in.i64(),
        in.text(1024),
        in.text(256),
        in.text(16),
        in.i64(),
        in.i64(),
        in.i64(),
        in.i64(),
        in.i64(),
        in.i64(),
        in.i64(),
        in.i64(),
        in.i32(),
        in.list(50, StatusCodec::share));
  }

  private static void write(Share s, Packer out) {
    out.text(s.worker()).i64(s.tasks());
  }

  private static Share share(Unpacker in) throws InvalidObjectException {
    return new Share(in.text(Texts.MAX_SHORT), in.i64());
  }
}
