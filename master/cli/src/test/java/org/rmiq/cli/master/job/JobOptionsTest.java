package org.rmiq.cli.master.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** A job's options: checked with the flag named, and written back as they would be typed. */
class JobOptionsTest {
  private static JobOptions parse(String... words) {
    JobOptions options = new JobOptions();
    new CommandLine(options.model()).parseArgs(words);
    return options;
  }

  private static String refusal(String... words) {
    return assertThrows(IllegalArgumentException.class, () -> parse(words).check()).getMessage();
  }

  @Test
  void defaultsAreThreeAttemptsOneReplicaNoTaskTimeout() {
    JobOptions none = parse();
    assertEquals(3, none.maxAttemptsOrDefault());
    assertEquals(1, none.replicasOrDefault());
    assertEquals(Duration.ZERO, none.taskTimeoutOrDefault());
    assertEquals(JobContext.DEFAULT_CHUNKS, none.chunksOrDefault());
    assertEquals("", none.typed());
    assertEquals("", none.typedAtPrompt());
    assertNull(none.followerOption());
  }

  @Test
  void eachBadValueIsRefusedNamingItsFlagAndTheRange() {
    assertEquals("--max-attempts 0 must be 1..100", refusal("--max-attempts", "0"));
    assertTrue(refusal("--replicas", "4").startsWith("--replicas 4 must be 1..3"));
    assertEquals("--chunks 0 must be 1..100000", refusal("--chunks", "0"));
    for (String flag : List.of("--timeout", "--queue-timeout", "--wait-for-workers")) {
      String message =
          assertThrows(CommandLine.ParameterException.class, () -> parse(flag, "0s")).getMessage();
      assertTrue(message.contains("'0s' is zero: give a positive duration"), message);
    }
  }

  @Test
  void theMastersOptionsTravelAsWordsAndShowAsTyped() {
    JobOptions o =
        parse("--max-attempts", "5", "--task-timeout", "90s", "--chunks", "16", "--replicas", "2");
    assertEquals(
        List.of("--max-attempts=5", "--task-timeout=90s", "--chunks=16", "--replicas=2"),
        o.forMaster());
    assertEquals("--max-attempts 5 --task-timeout 90s --chunks 16 --replicas 2", o.typed());
    JobOptions again = parse(o.forMaster().toArray(String[]::new));
    assertEquals(o.forMaster(), again.forMaster(), "what travels parses back the same");
  }

  @Test
  void theFollowersOptionsAreNamedSoASubmittedJobCanRefuseThem() {
    assertEquals("--out", parse("--out", "x.jsonl").followerOption());
    assertEquals("--timeout", parse("--timeout", "5s").followerOption());
    assertEquals("--queue-timeout", parse("--queue-timeout", "1m").followerOption());
    assertEquals("--wait-for-workers", parse("--wait-for-workers", "1m").followerOption());
    assertEquals("--print-results", parse("--print-results").followerOption());
    assertNull(parse("--replicas", "2", "--chunks", "3").followerOption());
  }

  @Test
  void aPromptJobsOptionsReadBackTheSameEvenWithSpacesInAPath() {
    JobOptions typed =
        parse(
            "--replicas",
            "2",
            "--out",
            "my results/it's here.jsonl",
            "--timeout",
            "1m",
            "--queue-timeout",
            "10m",
            "--wait-for-workers",
            "30s",
            "--print-results");
    String text = typed.typedAtPrompt();
    assertEquals(
        "--replicas 2 --out \"my results/it's here.jsonl\" --timeout 1m --queue-timeout 10m"
            + " --wait-for-workers 30s --print-results",
        text);
    JobOptions back =
        parse(org.rmiq.cli.master.session.SessionPrompt.words(text).toArray(String[]::new));
    assertEquals(Path.of("my results/it's here.jsonl"), back.out);
    assertEquals(Duration.ofMinutes(1), back.timeout);
    assertEquals(Duration.ofMinutes(10), back.queueTimeout);
    assertEquals(Duration.ofSeconds(30), back.waitForWorkers);
    assertTrue(back.printResults);
    assertEquals(2, back.replicasOrDefault());
    assertEquals(text, back.typedAtPrompt());
  }

  @Test
  void aJobsOwnChunksAndSkipBadLinesShapeItsContext() {
    JobContext session = new JobContext(null, null, 8, false, null, w -> {}, null);
    JobContext own = parse("--chunks", "3", "--skip-bad-lines").applyTo(session);
    assertEquals(3, own.chunks());
    assertTrue(own.skipBadLines());
    assertEquals(8, parse().applyTo(session).chunks(), "the session's when the job says none");
  }
}
