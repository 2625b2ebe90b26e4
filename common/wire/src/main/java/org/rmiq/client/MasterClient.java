package org.rmiq.client;

import java.io.ObjectInputFilter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.rmiq.internal.transport.CallFailure;
import org.rmiq.internal.transport.ClientProfile;
import org.rmiq.internal.transport.HandshakeWarmUp;
import org.rmiq.internal.transport.MasterConnector;
import org.rmiq.internal.wire.CommandReply;
import org.rmiq.internal.wire.JobReceipt;
import org.rmiq.internal.wire.JobRequest;
import org.rmiq.internal.wire.MasterService;
import org.rmiq.internal.wire.RmiSettings;
import org.rmiq.internal.wire.SerialAllowList;
import org.rmiq.net.HostPort;
import org.rmiq.net.TeacherKey;
import org.rmiq.net.Token;
import org.rmiq.report.StatusReport;

/**
 * A program's way to a master from another JVM: read its status with the class code, and, with the
 * teacher key, submit jobs to a session master, follow them and cancel them. It owns the lookup,
 * turns every failed call into a {@link MasterCallException} that says what happened and what to
 * do, and hands out the public records ({@link StatusReport}, {@code TaskOutcome}).
 *
 * <pre>{@code
 * MasterClient.prepareJvm(); // once, before the first call
 * MasterClient client =
 *     MasterClient.builder(HostPort.parse("10.0.0.5:5000"), token).teacherKey(key).build();
 * RemoteJob job = client.submit(List.of("square", "1..100"), Map.of());
 * while (!job.isDrained()) {
 *   for (TaskOutcome o : job.next(1000, Duration.ofSeconds(1))) {
 *     System.out.println(o.input() + " -> " + o.value());
 *   }
 * }
 * }</pre>
 */
public final class MasterClient {
  /** The most bytes all files of one submitted job may hold. */
  public static final int MAX_ATTACHED_BYTES = JobRequest.MAX_ATTACHED_BYTES;

  private final ClientProfile profile;
  private volatile MasterService stub;

  private MasterClient(ClientProfile profile) {
    this.profile = profile;
  }

  /** A client for the master at {@code master}, proving {@code token} (the class code). */
  public static Builder builder(HostPort master, Token token) {
    return new Builder(master, token);
  }

  /**
   * Sets up this JVM for talking to masters: rmiq's RMI settings, and the allow-list that bounds
   * what a master's replies may make this JVM build. Call once, before the first call to a master.
   */
  public static void prepareJvm() {
    HandshakeWarmUp.startForClient(); // on the other core, while the caller parses its options
    RmiSettings.apply();
    ObjectInputFilter.Config.setSerialFilter(SerialAllowList.forWorker());
  }

  /** The address this client dials. */
  public HostPort master() {
    return profile.master();
  }

  /** What the master is doing: tasks, workers, jobs, notices. */
  public StatusReport status() throws MasterCallException {
    return call(() -> service().status());
  }

  /**
   * Queues a job on a session master, checked there with the same rules and messages as its own
   * prompt, and returns it to follow.
   *
   * @param words the job and its options as typed, e.g. {@code [--max-attempts, 2, square, 1..9]}
   * @param attachments the contents of the {@code @FILE}s and {@code -} the words name, by word
   * @throws JobRefusedException when the master would not take it, saying why
   */
  public RemoteJob submit(List<String> words, Map<String, byte[]> attachments)
      throws MasterCallException, JobRefusedException {
    List<JobRequest.Attachment> files = new ArrayList<>();
    attachments.forEach((name, content) -> files.add(new JobRequest.Attachment(name, content)));
    JobRequest request = new JobRequest(words, files);
    MasterService master = service();
    JobReceipt receipt = call(() -> master.submitJob(request));
    if (receipt.refusal() != null) {
      throw new JobRefusedException(reason(receipt.reason()), receipt.refusal());
    }
    return new RemoteJob(
        this,
        master,
        receipt.ticket(),
        receipt.jobId(),
        receipt.title(),
        receipt.tasks(),
        receipt.queuedBehind());
  }

  /**
   * Cancels job {@code jobId} on the master (the teacher key is needed); returns what happened.
   *
   * @throws JobRefusedException when this connection may not cancel it
   */
  public String cancel(long jobId) throws MasterCallException, JobRefusedException {
    CommandReply reply = call(() -> service().cancelJob(jobId));
    if (reply.refusal() != 0) {
      throw new JobRefusedException(reason(reply.refusal()), reply.message());
    }
    return reply.message();
  }

  private MasterService service() throws MasterCallException {
    MasterService found = stub;
    if (found == null) {
      found = call(() -> MasterConnector.lookup(profile));
      stub = found;
      HandshakeWarmUp.startCipher(profile); // for the large calls that may follow
    }
    return found;
  }

  /** A remote call whose failure becomes a {@link MasterCallException}. */
  interface Call<T> {
    T run() throws Exception;
  }

  <T> T call(Call<T> call) throws MasterCallException {
    try {
      return call.run();
    } catch (Exception e) {
      CallFailure failure = CallFailure.of(profile.master(), e, stub != null);
      throw new MasterCallException(kind(failure.kind()), failure.message(), e);
    }
  }

  private static MasterCallException.Kind kind(CallFailure.Kind kind) {
    return switch (kind) {
      case TOKEN_REFUSED, SUSPECT -> MasterCallException.Kind.CREDENTIAL_REFUSED;
      case REFUSED -> MasterCallException.Kind.REFUSED;
      case BUSY -> MasterCallException.Kind.BUSY;
      case UNREACHABLE, LINK_LOST -> MasterCallException.Kind.UNREACHABLE;
    };
  }

  private static JobRefusedException.Reason reason(int code) {
    return switch (code) {
      case JobReceipt.NOT_A_SESSION -> JobRefusedException.Reason.NOT_A_SESSION;
      case JobReceipt.NEEDS_TEACHER_KEY -> JobRefusedException.Reason.NEEDS_TEACHER_KEY;
      case JobReceipt.CANNOT_RECORD -> JobRefusedException.Reason.CANNOT_RECORD;
      case JobReceipt.QUOTA -> JobRefusedException.Reason.QUOTA;
      default -> JobRefusedException.Reason.BAD_JOB;
    };
  }

  /** How a client reaches its master. */
  public static final class Builder {
    private final HostPort master;
    private final Token token;
    private TeacherKey teacherKey;
    private boolean plaintext;
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration callTimeout = Duration.ofSeconds(30);

    private Builder(HostPort master, Token token) {
      this.master = Objects.requireNonNull(master);
      this.token = Objects.requireNonNull(token);
    }

    /** Prove the teacher key instead of the class code: needed to submit, cancel, ship code. */
    public Builder teacherKey(TeacherKey key) {
      this.teacherKey = key;
      return this;
    }

    /** Talk to a master that runs without encryption (for measurements only). */
    public Builder plaintext(boolean plaintext) {
      this.plaintext = plaintext;
      return this;
    }

    /** How long a connection and a call may take; defaults 10 s and 30 s. */
    public Builder timeouts(Duration connect, Duration call) {
      this.connectTimeout = connect;
      this.callTimeout = call;
      return this;
    }

    public MasterClient build() {
      return new MasterClient(
          ClientProfile.of(master, token)
              .withTimeouts(connectTimeout, callTimeout)
              .withPlaintext(plaintext)
              .withTeacherKey(teacherKey));
    }
  }
}
