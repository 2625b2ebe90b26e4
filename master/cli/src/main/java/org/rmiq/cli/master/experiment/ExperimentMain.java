package org.rmiq.cli.master.experiment;

import org.rmiq.cli.CliSettings;
import org.rmiq.cli.Commands;
import org.rmiq.master.Master;

/** The speed-up experiment's entry point; see {@link ExperimentCommand}. */
public final class ExperimentMain {
  private ExperimentMain() {}

  public static void main(String[] args) {
    CliSettings.install("run-experiment");
    System.setProperty("java.awt.headless", "true"); // charts are drawn without a display
    Master.prepareJvm();
    System.exit(
        Commands.of(new ExperimentCommand(System.getenv(), System.out, System.err)).execute(args));
  }
}
