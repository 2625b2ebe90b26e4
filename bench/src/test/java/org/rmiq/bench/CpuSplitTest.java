package org.rmiq.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
