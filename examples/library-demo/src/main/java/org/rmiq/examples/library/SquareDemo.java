package org.rmiq.examples.library;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.rmiq.master.Master;
import org.rmiq.net.HostPort;
import org.rmiq.net.Token;
import org.rmiq.report.TaskOutcome;
import org.rmiq.worker.Worker;

/**
 * Python's classic {@code task_master.py} + {@code task_worker.py}, in Java with rmiq: a master
 * puts 10 random numbers in the task queue, two workers square them, the master collects the
 * results with a timeout. Run it with:
 *
 * <pre>
 * ./mvnw -q -DskipTests package
 * java -cp master/cli/target/rmiq-master.jar:worker/cli/target/rmiq-worker.jar:examples/library-demo/target/classes \
 *     org.rmiq.examples.library.SquareDemo
 * </pre>
 *
 * In a real class the workers run on other machines with {@code scripts/run-worker.sh}.
 */
public final class SquareDemo {
  private SquareDemo() {}

  public static void main(String[] args) throws Exception {
    Worker.installSerialFilter(); // one line: nothing a master sends builds unexpected objects
    Token token = Token.of(System.getenv().getOrDefault(Token.ENV, "library-demo-token"));
    try (Master master = Master.builder().port(0).token(token).build().start()) {
      System.out.println("master on port " + master.port());
      List<Worker> workers = new ArrayList<>();
      for (String name : List.of("worker-1", "worker-2")) {
        Worker worker =
            Worker.builder(new HostPort("localhost", master.port()), token)
                .name(name)
                .threads(1)
                .exitWhenDone(true)
                .build();
        worker.startAsync();
        workers.add(worker);
      }
      Random random = new Random();
      List<String> numbers = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        numbers.add(Integer.toString(random.nextInt(10_001)));
        System.out.println("Put task " + numbers.get(i) + "...");
      }
      master.submit("square", numbers);
      for (int i = 0; i < numbers.size(); i++) {
        TaskOutcome r = master.poll(Duration.ofSeconds(10)); // null when the timeout passes
        if (r == null) {
          System.out.println("no result within 10 s; are the workers running?");
          return;
        }
        System.out.println(
            "Result: "
                + r.input()
                + " * "
                + r.input()
                + " = "
                + r.value()
                + " (by "
                + r.worker()
                + ")");
      }
      master.finish(); // workers built with exitWhenDone(true) leave
      for (Worker worker : workers) {
        worker.awaitTerminated();
      }
    }
  }
}
