package org.rmiq.cli.master;

import org.rmiq.cli.Commands;
import org.rmiq.internal.wire.RmiSettings;

/** The speed-up experiment's entry point; see {@link ExperimentCommand}. */
public final class ExperimentMain {
  private ExperimentMain() {}

  public static void main(String[] args) {
    System.setProperty("java.awt.headless", "true"); // charts are drawn without a display
    RmiSettings.apply();
    System.exit(
        Commands.of(new ExperimentCommand(System.getenv(), System.out, System.err)).execute(args));
  }
}
