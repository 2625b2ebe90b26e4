package org.rmiq.bench;

import java.util.ArrayList;
import java.util.List;
import org.rmiq.net.HostPort;
import org.rmiq.net.Token;
import org.rmiq.worker.Worker;

/** Runs many one-thread worker sessions in one JVM, to simulate a big class on few machines. */
public final class ManyWorkers {
  private ManyWorkers() {}

  public static void main(String[] args) throws InterruptedException {
    Worker.installSerialFilter();
    HostPort master = HostPort.parse(args[0]);
    int sessions = Integer.parseInt(args[1]);
    Token token = Token.of(System.getenv(Token.ENV));
    List<Worker> workers = new ArrayList<>();
    for (int i = 0; i < sessions; i++) {
      Worker worker =
          Worker.builder(master, token)
              .name(args[2] + "-" + i)
              .threads(1)
              .quiet(true)
              .prefetch(Integer.getInteger("rmiq.bench.prefetch", -1))
              .insecurePlaintext(Boolean.getBoolean("rmiq.bench.plaintext"))
              .exitWhenDone(true)
              .build();
      worker.startAsync();
      workers.add(worker);
    }
    for (Worker worker : workers) {
      worker.awaitTerminated();
    }
  }
}
