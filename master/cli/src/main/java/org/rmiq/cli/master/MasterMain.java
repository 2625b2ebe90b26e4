package org.rmiq.cli.master;

import java.util.Arrays;
import org.rmiq.cli.CliSettings;
import org.rmiq.cli.Commands;
import org.rmiq.cli.master.launch.MasterCommand;
import org.rmiq.cli.master.session.SubmitCommand;
import org.rmiq.client.MasterClient;
import org.rmiq.master.EarlyStart;
import org.rmiq.master.Master;
import picocli.CommandLine;

/**
 * The master jar's entry point: {@link MasterCommand}, or {@link SubmitCommand} when the first word
 * is {@code submit} ({@code java -jar rmiq-master.jar submit HOST:PORT JOB}).
 */
public final class MasterMain {
  private MasterMain() {}

  public static void main(String[] args) {
    boolean submit = args.length > 0 && args[0].equals("submit");
    if (!submit) {
      EarlyStart.begin(); // the certificate, on the other core, before logging and picocli load
    }
    CliSettings.install("run-master");
    if (submit) {
      // The submitter reads what a master sends back: the client allow-list.
      MasterClient.prepareJvm();
      System.exit(
          Commands.of(new SubmitCommand(System.getenv(), System.in, System.out, System.err).model())
              .execute(Arrays.copyOfRange(args, 1, args.length)));
    }
    Master.prepareJvm();
    System.exit(commandLine().execute(args));
  }

  static CommandLine commandLine() {
    return Commands.of(
            new MasterCommand(System.getenv(), System.in, System.out, System.err).model())
        .setUnmatchedOptionsArePositionalParams(false);
  }
}
