package org.rmiq.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.rmiq.internal.transport.CallFailure;
import org.rmiq.net.HostPort;

/** What each failed call means for a link: fed failures, no network, no clock. */
class FailurePolicyTest {
  private final FailurePolicy policy = new FailurePolicy(new HostPort("master", 5000));

  private static CallFailure failure(CallFailure.Kind kind) {
    return new CallFailure(kind, kind + " happened", new IOException("x"));
  }

  private FailurePolicy.Verdict fail(CallFailure.Kind kind) {
    return policy.onFailure(failure(kind), false, true, true);
  }

  @Test
  void anUnreachableMasterIsTriedAgainWithAGrowingCappedBackOff() {
    for (int i = 0; i < 3; i++) {
      FailurePolicy.Verdict v = fail(CallFailure.Kind.UNREACHABLE);
      assertEquals(FailurePolicy.Action.RETRY_LATER, v.action());
      long base = 250L << i; // doubling from 250 ms, each wait 75-125 % of it
      assertTrue(
          v.pauseMillis() >= base * 3 / 4 && v.pauseMillis() <= base * 5 / 4, v.pauseMillis() + "");
    }
    for (int i = 0; i < 10; i++) {
      assertTrue(fail(CallFailure.Kind.BUSY).pauseMillis() <= 6250, "capped at 5 s (+25 %)");
    }
    assertEquals("UNREACHABLE happened", policy.outage(), "the first failure names the outage");
    policy.exchanged();
    assertNull(policy.outage());
    assertTrue(fail(CallFailure.Kind.BUSY).pauseMillis() <= 313, "the back-off starts again");
  }

  @Test
  void aRefusedTokenOrAnotherVersionStopsEveryWorker() {
    FailurePolicy.Verdict token = fail(CallFailure.Kind.TOKEN_REFUSED);
    assertEquals(FailurePolicy.Action.STOP, token.action());
    assertEquals(Worker.Exit.TOKEN_REFUSED, token.exit());
    assertEquals(Worker.Exit.REFUSED, fail(CallFailure.Kind.REFUSED).exit());
  }

  @Test
  void aMasterThatLostTheLinkIsJoinedAgainAtOnceThenWithBackOff() {
    assertEquals(FailurePolicy.Action.RETRY_NOW, fail(CallFailure.Kind.LINK_LOST).action());
    assertEquals(FailurePolicy.Action.RETRY_LATER, fail(CallFailure.Kind.LINK_LOST).action());
  }

  @Test
  void aPeerThatNeverConfirmsTheKeyGetsAGuessAMinuteThenTwoThenTheWorkersStop() {
    FailurePolicy.Verdict first = fail(CallFailure.Kind.SUSPECT);
    assertEquals(TimeUnit.MINUTES.toMillis(1), first.pauseMillis());
    assertEquals(TimeUnit.MINUTES.toMillis(2), fail(CallFailure.Kind.SUSPECT).pauseMillis());
    FailurePolicy.Verdict third = fail(CallFailure.Kind.SUSPECT);
    assertEquals(FailurePolicy.Action.STOP, third.action());
    assertEquals(Worker.Exit.TOKEN_REFUSED, third.exit());
    assertTrue(third.why().contains("3 times in a row"), third.why());
  }

  @Test
  void aRealMasterBetweenSuspectAnswersStartsTheCountAgain() {
    fail(CallFailure.Kind.SUSPECT);
    fail(CallFailure.Kind.SUSPECT);
    policy.connected();
    assertEquals(FailurePolicy.Action.RETRY_LATER, fail(CallFailure.Kind.SUSPECT).action());
  }

  @Test
  void aMasterGoneAfterFinishingItsJobEndsTheWorkersThatExitWhenDone() {
    FailurePolicy.Verdict v =
        policy.onFailure(failure(CallFailure.Kind.UNREACHABLE), true, true, false);
    assertEquals(FailurePolicy.Action.MASTER_FINISHED, v.action());
    FailurePolicy.Verdict busy = policy.onFailure(failure(CallFailure.Kind.BUSY), true, true, true);
    assertEquals(FailurePolicy.Action.RETRY_LATER, busy.action(), "busy is not gone");
  }

  @Test
  void aWorkerThatNeverJoinedGivesUpAfterItsConnectTimeoutOnlyDuringAnOutage() {
    Duration limit = Duration.ofSeconds(30);
    long waited = TimeUnit.SECONDS.toNanos(31);
    assertNull(policy.giveUp(limit, waited), "no outage: nothing to give up on");
    policy.onFailure(failure(CallFailure.Kind.UNREACHABLE), false, false, true);
    assertNull(policy.giveUp(limit, TimeUnit.SECONDS.toNanos(29)));
    assertNull(policy.giveUp(Duration.ZERO, waited), "zero waits for ever");
    String why = policy.giveUp(limit, waited);
    assertTrue(why.startsWith("gave up after 30s"), why);
    assertTrue(why.endsWith("UNREACHABLE happened"), why);
  }
}
