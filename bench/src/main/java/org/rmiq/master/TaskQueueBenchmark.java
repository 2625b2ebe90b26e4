package org.rmiq.master;

import com.google.common.base.Ticker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.rmiq.bench.TaskQueueBenchmarkSize;
import org.rmiq.internal.wire.Task;
import org.rmiq.internal.wire.TaskResult;

/** The master queue's cost per task, without RMI: submit, take and complete a batch. */
@State(Scope.Thread)
public class TaskQueueBenchmark {
  private TaskQueue queue;
  private List<String> inputs;

  @Setup
  public void setUp() {
    queue =
        new TaskQueue(
            Ticker.systemTicker(),
            Duration.ofSeconds(10),
            3,
            Duration.ofMillis(500),
            outcomes -> {});
    queue.openSession("s", "worker");
    inputs = IntStream.range(0, TaskQueueBenchmarkSize.BATCH).mapToObj(Integer::toString).toList();
  }

  @Benchmark
  public int submitTakeComplete() throws InterruptedException {
    queue.submit("square", inputs);
    List<Task> tasks = queue.take("s", TaskQueueBenchmarkSize.BATCH, Duration.ZERO);
    List<TaskResult> results = new ArrayList<>(tasks.size());
    for (Task t : tasks) {
      results.add(TaskResult.ok(t.id(), t.input(), 0));
    }
    return queue.complete("s", "worker", results).accepted();
  }
}
