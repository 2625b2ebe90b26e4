package org.rmiq.cli.worker;

import java.io.ObjectInputFilter;
import org.rmiq.internal.wire.RmiSettings;
import org.rmiq.internal.wire.SerialAllowList;
import picocli.CommandLine;

/** The status command's entry point; see {@link StatusCommand}. */
public final class StatusMain {
  private StatusMain() {}

  public static void main(String[] args) {
    RmiSettings.apply();
    ObjectInputFilter.Config.setSerialFilter(SerialAllowList.forWorker());
    System.exit(
        new CommandLine(new StatusCommand(System.getenv(), System.out, System.err)).execute(args));
  }
}
