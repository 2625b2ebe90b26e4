package org.rmiq.cli.master;

import java.io.ObjectInputFilter;
import org.rmiq.internal.wire.RmiSettings;
import org.rmiq.internal.wire.SerialAllowList;
import picocli.CommandLine;

/** The master command's entry point; see {@link MasterCommand}. */
public final class MasterMain {
  private MasterMain() {}

  public static void main(String[] args) {
    RmiSettings.apply();
    // --serve and the status page use the JDK's HTTP server; without TCP_NODELAY it sends an
    // answer's headers and body as separate small packets, and each waits ~40 ms for an ACK.
    System.setProperty("sun.net.httpserver.nodelay", "true");
    ObjectInputFilter.Config.setSerialFilter(SerialAllowList.forMaster());
    System.exit(commandLine().execute(args));
  }

  static CommandLine commandLine() {
    return new CommandLine(new MasterCommand(System.getenv(), System.in, System.out, System.err))
        .setUnmatchedOptionsArePositionalParams(false)
        // @FILE is rmiq's own syntax for input lists: picocli must not expand it as arguments.
        .setExpandAtFiles(false);
  }
}
