package org.rmiq.master;

import com.google.common.util.concurrent.RateLimiter;
import java.io.IOException;
import java.net.InetAddress;
import java.rmi.RemoteException;
import java.rmi.server.RemoteServer;
import java.rmi.server.ServerNotActiveException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.rmiq.internal.transport.PeerRole;
import org.rmiq.internal.wire.CodeChunk;
import org.rmiq.internal.wire.CodeRequest;
import org.rmiq.internal.wire.CommandReply;
import org.rmiq.internal.wire.ExchangeReply;
import org.rmiq.internal.wire.ExchangeRequest;
import org.rmiq.internal.wire.FileChunk;
import org.rmiq.internal.wire.JobEvents;
import org.rmiq.internal.wire.JobPoll;
import org.rmiq.internal.wire.JobReceipt;
import org.rmiq.internal.wire.JobRequest;
import org.rmiq.internal.wire.Leave;
import org.rmiq.internal.wire.LinkReply;
import org.rmiq.internal.wire.LinkRequest;
import org.rmiq.internal.wire.MasterBusyException;
import org.rmiq.internal.wire.MasterService;
import org.rmiq.internal.wire.SessionReply;
import org.rmiq.internal.wire.SessionRequest;
import org.rmiq.internal.wire.UnknownLinkException;
import org.rmiq.internal.wire.UploadReply;
import org.rmiq.report.StatusReport;
import org.rmiq.util.Printable;
import org.rmiq.util.Setting;
import org.rmiq.util.SettingNames;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thin RMI adapter around the dispatcher: it holds no state of its own beyond tickets, and
 * never blocks beyond an exchange's or a job poll's bounded wait.
 */
final class MasterServiceImpl implements MasterService {
  private static final Logger log = LoggerFactory.getLogger(MasterServiceImpl.class);

  /** What the adapter needs from the master. */
  record Settings(
      Duration heartbeat,
      boolean collectFiles,
      List<String> servedHosts,
      JobIntakeRef intake,
      String codeFingerprint) {}

  /** The intake a session master sets after start. */
  static final class JobIntakeRef {
    volatile JobIntake intake;
  }

  private final Dispatcher dispatcher;
  private final Settings settings;
  private final Supplier<StatusReport> status;

  /** Stores the files workers send ({@code --collect}); null when the master collects none. */
  private final FileCollector files;

  private final RemoteJobs remoteJobs;
  private final Consumer<String> writeFailures;
  private final RateLimiter warnings = RateLimiter.create(0.2);
  private final RateLimiter lateNotes = RateLimiter.create(1.0);

  MasterServiceImpl(
      Dispatcher dispatcher,
      Settings settings,
      Supplier<StatusReport> status,
      FileCollector files,
      RemoteJobs remoteJobs,
      Consumer<String> writeFailures) {
    this.writeFailures = writeFailures;
    this.dispatcher = dispatcher;
    this.settings = settings;
    this.status = status;
    this.files = files;
    this.remoteJobs = remoteJobs;
  }

  @Override
  public LinkReply openLink(LinkRequest request) throws RemoteException, MasterBusyException {
    if (request.protocol() != PROTOCOL) {
      throw new IllegalArgumentException(
          "this master speaks rmiq protocol "
              + PROTOCOL
              + " and the worker speaks "
              + request.protocol()
              + "; run the same rmiq version");
    }
    try {
      return dispatcher.openLink(
          request,
          caller(),
          settings.codeFingerprint(),
          settings.collectFiles(),
          settings.servedHosts(),
          settings.heartbeat().toMillis());
    } catch (Registry.Full e) {
      throw new MasterBusyException(e.getMessage());
    }
  }

  @Override
  public SessionReply openSession(SessionRequest request)
      throws RemoteException, UnknownLinkException, MasterBusyException {
    try {
      Registry.SessionRec session =
          dispatcher.openSession(
              request.linkId(), request.workerName(), request.threads(), request.kinds());
      log.info(
          "master: worker {} joined from {} with {} thread(s), running {}",
          session.row.name,
          session.link.host,
          request.threads(),
          String.join(", ", request.kinds()));
      return new SessionReply(session.id, session.row.name);
    } catch (Registry.Full e) {
      throw new MasterBusyException(e.getMessage());
    }
  }

  @Override
  public ExchangeReply exchange(ExchangeRequest request)
      throws RemoteException, UnknownLinkException, MasterBusyException {
    ResultFence.Collected collected;
    try {
      collected = dispatcher.collectFrom(request);
    } catch (IllegalStateException journalFailed) {
      // The worker keeps its results and sends them again later.
      throw new MasterBusyException(journalFailed.getMessage());
    }
    if (collected.forged() > 0 && warnings.tryAcquire()) {
      log.warn(
          "master: refused {} result(s) from {} for tasks its session was never given (forged"
              + " results are counted on the status page)",
          collected.forged(),
          collected.forgedBy());
    }
    if (collected.late() > 0 && lateNotes.tryAcquire()) {
      log.info(
          "master: discarded {} late or duplicate result(s) from {} (each task counts once:"
              + " another worker delivered it first, or it was delivered before)",
          collected.late(),
          collected.lateBy());
    }
    CodeStore code = dispatcher.code();
    try {
      return dispatcher.handOut(request, code.version, code.offers());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RemoteException("the master is stopping");
    }
  }

  @Override
  public void leave(Leave leave) {
    dispatcher.leave(leave.linkId(), leave.sessionIds(), leave.link());
  }

  @Override
  public UploadReply upload(FileChunk chunk) throws UnknownLinkException {
    if (!dispatcher.isLive(chunk.linkId(), false)) {
      throw new UnknownLinkException();
    }
    if (files == null) {
      return UploadReply.refused(
          "this master does not collect files (" + SettingNames.of(Setting.COLLECT) + ")", true);
    }
    if (!dispatcher.holds(chunk.linkId(), chunk.sessionId(), chunk.taskId())) {
      return UploadReply.refused(
          "task "
              + chunk.taskId()
              + " is not held by this worker (finished already, handed to another, or never"
              + " given to it); its file is not needed",
          true);
    }
    try {
      return files.accept(chunk);
    } catch (IOException e) {
      writeFailures.accept(
          "cannot store the file of task "
              + chunk.taskId()
              + " in the collect folder ("
              + SettingNames.of(Setting.COLLECT)
              + ") "
              + files.folder()
              + " ("
              + e.getMessage()
              + ")");
      return UploadReply.refused(
          "the master could not store the file of task " + chunk.taskId() + ": " + e.getMessage(),
          false);
    }
  }

  @Override
  public CodeChunk fetchCode(CodeRequest request) throws UnknownLinkException {
    if (!dispatcher.isLive(request.linkId(), false)) {
      throw new UnknownLinkException();
    }
    CodeStore code = dispatcher.code();
    byte[] data = code.chunk(request.sha256(), request.offset());
    if (data == null) {
      throw new IllegalArgumentException(
          "this master offers no code with SHA-256 " + request.sha256() + " (replaced since?)");
    }
    return new CodeChunk(data, request.offset() + data.length >= code.size(request.sha256()));
  }

  @Override
  public StatusReport status() {
    return status.get();
  }

  @Override
  public JobReceipt submitJob(JobRequest request) {
    JobIntake intake = settings.intake().intake;
    if (intake == null) {
      return JobReceipt.refused(
          JobReceipt.NOT_A_SESSION, "this master runs a job of its own and takes none from others");
    }
    Map<String, byte[]> attachments = new HashMap<>();
    request.attachments().forEach(a -> attachments.put(a.name(), a.content()));
    boolean teacher = PeerRole.current() == PeerRole.TEACHER;
    JobIntake.Answer answer =
        intake.submit(request.words(), attachments, new JobIntake.Submitter(teacher, callerText()));
    if (answer instanceof JobIntake.Refused refused) {
      return JobReceipt.refused(code(refused.reason()), refused.message());
    }
    JobIntake.Accepted accepted = (JobIntake.Accepted) answer;
    log.info(
        "master: job {} submitted by {} from {}: {}",
        accepted.job().id(),
        teacher ? "the teacher" : "a student",
        callerText(),
        Printable.of(accepted.job().spec().spec(), 200));
    return JobReceipt.queued(
        remoteJobs.follow(accepted.job()),
        accepted.job().id(),
        accepted.title(),
        accepted.job().progress().submitted(),
        accepted.queuedBehind());
  }

  @Override
  public CommandReply cancelJob(long jobId) {
    JobIntake intake = settings.intake().intake;
    if (intake == null) {
      return new CommandReply(
          JobReceipt.NOT_A_SESSION, "this master runs a job of its own and takes none from others");
    }
    if (PeerRole.current() != PeerRole.TEACHER) {
      return new CommandReply(
          JobReceipt.NEEDS_TEACHER_KEY,
          "cancelling a job needs the teacher key, not the class code");
    }
    String done = intake.cancel(jobId);
    log.info("master: the teacher at {} cancelled job {}: {}", callerText(), jobId, done);
    return new CommandReply(0, done);
  }

  private static int code(JobIntake.Reason reason) {
    return switch (reason) {
      case BAD_JOB -> JobReceipt.BAD_JOB;
      case NEEDS_TEACHER_KEY -> JobReceipt.NEEDS_TEACHER_KEY;
      case CANNOT_RECORD -> JobReceipt.CANNOT_RECORD;
      case QUOTA -> JobReceipt.QUOTA;
    };
  }

  @Override
  public JobEvents jobEvents(JobPoll poll) throws RemoteException {
    Job job = remoteJobs.job(poll.ticket());
    if (job == null) {
      throw new IllegalArgumentException("this master follows no job with that ticket");
    }
    if (poll.cancel()) {
      job.cancel("cancelled by its submitter (Ctrl-C)");
    }
    RemoteJobs.Drained drained;
    try {
      drained = RemoteJobs.drain(job, poll.max(), Duration.ofMillis(poll.waitMillis()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RemoteException("the master is stopping");
    }
    DispatcherSnapshot snapshot = dispatcher.snapshot();
    return new JobEvents(
        drained.outcomes(),
        job.progress(),
        job.state().name(),
        Notices.forJob(snapshot, job),
        Notices.waitingBehind(snapshot, job),
        drained.drained());
  }

  /** The caller's address (RMI knows it from the connection). */
  private static InetAddress caller() throws RemoteException {
    try {
      return InetAddress.getByName(RemoteServer.getClientHost());
    } catch (ServerNotActiveException | IOException e) {
      throw new RemoteException("the caller's address is unknown", e);
    }
  }

  private static String callerText() {
    try {
      return RemoteServer.getClientHost();
    } catch (ServerNotActiveException e) {
      return "this master";
    }
  }
}
