package org.rmiq.master;

import com.google.common.base.Ticker;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.stream.IntStream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.rmiq.bench.DispatcherBenchmarkSize;
import org.rmiq.internal.wire.ExchangeRequest;
import org.rmiq.internal.wire.Slot;
import org.rmiq.internal.wire.SlotTasks;
import org.rmiq.internal.wire.Task;
import org.rmiq.internal.wire.TaskResult;
import org.rmiq.report.TaskOutcome;

/**
 * The dispatcher's cost per task, without RMI: a job of a batch of tasks, handed out and collected
 * through exchanges as a worker's link does.
 */
@State(Scope.Thread)
public class DispatcherBenchmark {
  private Dispatcher dispatcher;
  private String link;
  private String session;
  private List<String> inputs;

  @Setup
  public void setUp() throws Exception {
    dispatcher =
        new Dispatcher(
            Ticker.systemTicker(),
            Duration.ofSeconds(10),
            Duration.ofMillis(500),
            OutcomeSink.DISCARD);
    link =
        dispatcher
            .openLink(
                new org.rmiq.internal.wire.LinkRequest(
                    org.rmiq.internal.wire.MasterService.PROTOCOL, "bench", false, "", ""),
                InetAddress.getLoopbackAddress(),
                null,
                false,
                List.of(),
                1000)
            .linkId();
    // A session whose threads let it hold a whole batch at once.
    session =
        dispatcher.openSession(link, "worker", DispatcherBenchmarkSize.BATCH, List.of("square")).id;
    inputs = IntStream.range(0, DispatcherBenchmarkSize.BATCH).mapToObj(Integer::toString).toList();
  }

  @Benchmark
  public int submitHandOutCollect() throws Exception {
    LinkedBlockingQueue<TaskOutcome> outcomes = new LinkedBlockingQueue<>();
    Job job = dispatcher.create(JobSpec.of("bench", "square", inputs), false, outcomes);
    dispatcher.release(job);
    ExchangeRequest take =
        new ExchangeRequest(link, List.of(new Slot(session, List.of(), inputs.size())), 0, 0);
    dispatcher.collectFrom(take);
    List<TaskResult> results = new ArrayList<>(inputs.size());
    for (SlotTasks slot : dispatcher.handOut(take, 0, List.of()).tasks()) {
      for (Task t : slot.tasks()) {
        results.add(TaskResult.ok(t.id(), t.input(), 0));
      }
    }
    int collected =
        dispatcher
            .collectFrom(new ExchangeRequest(link, List.of(new Slot(session, results, 0)), 0, 0))
            .outcomes()
            .size();
    // The job keeps its queue: drain it as the master's collector does, or every op's outcomes
    // stay on the heap and the measurement becomes one of the garbage collector.
    outcomes.clear();
    return collected;
  }
}
