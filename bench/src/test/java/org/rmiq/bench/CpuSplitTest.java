package org.rmiq.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class CpuSplitTest {
  @Test
  void hotSpotThreadsAreToldApartByTheirLinuxNames() {
    assertEquals(CpuSplit.Role.JIT, CpuSplit.roleOf("C2 CompilerThre"));
    assertEquals(CpuSplit.Role.JIT, CpuSplit.roleOf("C1 CompilerThre"));
    assertEquals(CpuSplit.Role.GC, CpuSplit.roleOf("GC Thread#0"));
    assertEquals(CpuSplit.Role.GC, CpuSplit.roleOf("GC Thread#1"));
    assertEquals(CpuSplit.Role.GC, CpuSplit.roleOf("G1 Refine#0"));
    assertEquals(CpuSplit.Role.GC, CpuSplit.roleOf("G1 Main Marker"));
    assertEquals(CpuSplit.Role.OTHER, CpuSplit.roleOf("rmiq-worker-lin"));
    assertEquals(CpuSplit.Role.OTHER, CpuSplit.roleOf("java"));
  }

  @Test
  void aReadingKeepsWhatEndedThreadsSpentAndSplitsByProcess() {
    long self = ProcessHandle.current().pid();
    CpuSplit before = CpuSplit.of(List.of(self));
    double spent = before.totalSeconds();
    Assumptions.assumeTrue(spent > 0, "no /proc here");
    // an empty reading (as once the process has ended) keeps what its threads were last seen at
    CpuSplit after = CpuSplit.of(List.of()).withEnded(before);
    assertEquals(spent, after.totalSeconds(), 1e-9);
    assertEquals(spent, after.of(self).totalSeconds(), 1e-9);
    assertEquals(0, after.except(self).totalSeconds(), 1e-9);
  }
}
