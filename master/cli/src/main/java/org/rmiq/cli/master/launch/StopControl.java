package org.rmiq.cli.master.launch;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.rmiq.master.Master;

/**
 * How a master command stops, the same for a one-shot job and a session: a stop flag its job
 * runners watch, SIGTERM (a shutdown hook that stops and waits for the command to finish up), and a
 * file the master cannot write (the journal, a collected file), which stops it with exit 5 and one
 * sentence naming the file, the cause and where the results are.
 */
public final class StopControl {
  private final CountDownLatch stopping = new CountDownLatch(1);
  private final AtomicBoolean flag = new AtomicBoolean();
  private final AtomicReference<String> writeFailure = new AtomicReference<>();
  private volatile Thread termHook;

  /** Watches {@code master} for a file it cannot write. */
  public StopControl(Master master) {
    master.onWriteFailure(this::writeFailed);
  }

  /** A file could not be written: the first failure stops the command and is the one told. */
  void writeFailed(String why) {
    if (writeFailure.compareAndSet(null, why)) {
      stop();
    }
  }

  /** Stops: the flag is set and whoever awaits it returns. */
  public void stop() {
    flag.set(true);
    stopping.countDown();
  }

  public boolean isStopping() {
    return stopping.getCount() == 0;
  }

  /** Waits until something stops the command. */
  public void await() throws InterruptedException {
    stopping.await();
  }

  /** The flag job runners watch (set by {@link #stop}, and by a Ctrl-C that ends a job). */
  public AtomicBoolean flag() {
    return flag;
  }

  /** Why a file could not be written, or null. */
  public String writeFailure() {
    return writeFailure.get();
  }

  /**
   * On SIGTERM, stops and then runs {@code finishing} (bounded) before the JVM goes, so the job's
   * summary and the workers' goodbye are not cut off.
   */
  public void onTerm(Runnable finishing) {
    Thread hook =
        new Thread(
            () -> {
              stop();
              finishing.run();
            },
            "rmiq-master-stop");
    termHook = hook;
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /** The command finished by itself: SIGTERM no longer needs to wait for it. */
  public void removeTermHook() {
    Thread hook = termHook;
    if (hook == null) {
      return;
    }
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // SIGTERM arrived: the hook is waiting for us
    }
  }

  /**
   * The sentence for a write failure: what failed, and how to go on ({@code journal}: nothing
   * collected is lost; {@code session}: its jobs resume in the next session).
   */
  public String failureSentence(boolean journal, boolean session) {
    String why = writeFailure.get();
    if (!journal) {
      return why
          + ". Free some space and "
          + (session ? "start the session again." : "run the job again.");
    }
    return why
        + ". Nothing collected is lost: free some space and "
        + (session
            ? "start the session again with the same --journal; it resumes the unfinished jobs."
            : "run the same command again to resume from the --journal.");
  }
}
