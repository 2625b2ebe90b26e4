package org.rmiq.cli.worker;

import org.rmiq.cli.CliSettings;
import org.rmiq.cli.Commands;
import org.rmiq.client.MasterClient;

/** The status command's entry point; see {@link StatusCommand}. */
public final class StatusMain {
  private StatusMain() {}

  public static void main(String[] args) {
    CliSettings.install("rmiq-status");
    MasterClient.prepareJvm();
    System.exit(
        Commands.of(new StatusCommand(System.getenv(), System.out, System.err).model())
            .execute(args));
  }
}
