package org.rmiq.cli.worker;

import org.rmiq.cli.Commands;
import org.rmiq.internal.wire.RmiSettings;
import org.rmiq.worker.Worker;

/** The status command's entry point; see {@link StatusCommand}. */
public final class StatusMain {
  private StatusMain() {}

  public static void main(String[] args) {
    RmiSettings.apply();
    Worker.installSerialFilter();
    System.exit(
        Commands.of(new StatusCommand(System.getenv(), System.out, System.err)).execute(args));
  }
}
