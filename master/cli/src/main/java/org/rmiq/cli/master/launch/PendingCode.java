package org.rmiq.cli.master.launch;

import com.google.common.hash.Hashing;
import java.util.ArrayList;
import java.util.List;
import org.rmiq.cli.master.job.JobContext;
import org.rmiq.cli.master.job.PluginOffers;
import org.rmiq.master.Master;

/**
 * Code compiled while the command line was parsed (a {@code run} job), before any master runs:
 * kept, then offered to the master once it does.
 */
final class PendingCode implements JobContext.CodeShipper {
  private final List<PluginOffers.Plugin> waiting = new ArrayList<>();

  @Override
  public String offer(String name, byte[] jar, List<String> kinds) {
    waiting.add(new PluginOffers.Plugin(name, jar, kinds));
    return Hashing.sha256().hashBytes(jar).toString();
  }

  void offerTo(Master master) {
    waiting.forEach(p -> master.offer(p.name(), p.jar(), p.kinds()));
  }
}
