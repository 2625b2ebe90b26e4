package org.rmiq.cli.master;

import org.rmiq.internal.wire.RmiSettings;
import picocli.CommandLine;

/** The speed-up experiment's entry point; see {@link ExperimentCommand}. */
public final class ExperimentMain {
  private ExperimentMain() {}

  public static void main(String[] args) {
    System.setProperty("java.awt.headless", "true"); // charts are drawn without a display
    RmiSettings.apply();
    System.exit(
        new CommandLine(new ExperimentCommand(System.getenv(), System.out, System.err))
            .setExpandAtFiles(false) // @FILE is rmiq's syntax for input lists, not picocli's
            .execute(args));
  }
}
