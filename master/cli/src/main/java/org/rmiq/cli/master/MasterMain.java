package org.rmiq.cli.master;

import java.io.ObjectInputFilter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.rmiq.cli.Commands;
import org.rmiq.internal.wire.RmiSettings;
import org.rmiq.internal.wire.SerialAllowList;
import picocli.CommandLine;

/**
 * The master jar's entry point: {@link MasterCommand}, or {@link SubmitCommand} when the first word
 * is {@code submit} ({@code java -jar rmiq-master.jar submit HOST:PORT JOB}).
 */
public final class MasterMain {
  private MasterMain() {}

  public static void main(String[] args) {
    RmiSettings.apply();
    if (args.length > 0 && args[0].equals("submit")) {
      // The submitter reads what a master sends back: the client allow-list.
      ObjectInputFilter.Config.setSerialFilter(SerialAllowList.forWorker());
      System.exit(
          Commands.of(new SubmitCommand(System.getenv(), System.in, System.out, System.err))
              .execute(Arrays.copyOfRange(args, 1, args.length)));
    }
    ObjectInputFilter.Config.setSerialFilter(SerialAllowList.forMaster());
    System.exit(commandLine().execute(args));
  }

  static CommandLine commandLine() {
    CommandLine line =
        Commands.of(new MasterCommand(System.getenv(), System.in, System.out, System.err))
            .setUnmatchedOptionsArePositionalParams(false);
    // One list of jobs for the help and the session's 'help', not two copies.
    List<String> footer = new ArrayList<>(JobKinds.USAGE);
    footer.addAll(MasterCommand.FOOTER);
    line.getCommandSpec().usageMessage().footer(footer.toArray(String[]::new));
    return line;
  }
}
