package org.rmiq.worker.cli;

import java.io.ObjectInputFilter;
import org.rmiq.common.RmiSettings;
import org.rmiq.common.SerialAllowList;
import picocli.CommandLine;

/** The status command's entry point; see {@link StatusCommand}. */
public final class StatusMain {
  private StatusMain() {}

  public static void main(String[] args) {
    RmiSettings.apply();
    ObjectInputFilter.Config.setSerialFilter(SerialAllowList.forWorker());
    System.exit(new CommandLine(new StatusCommand(System.getenv(), System.out, System.err))
        .execute(args));
  }
}
