package org.rmiq.internal.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.base.Ticker;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AdmissionTest {
  private final Admission admission = new Admission(Ticker.systemTicker());

  private static InetAddress ip(String text) throws Exception {
    return InetAddress.getByName(text);
  }

  @Test
  void oneAddressCannotFillTheWaitingRoom() throws Exception {
    for (int i = 0; i < Admission.WAITING_PER_ADDRESS; i++) {
      assertTrue(admission.enterWaitingRoom(ip("10.0.0.7")));
    }
    assertFalse(admission.enterWaitingRoom(ip("10.0.0.7")));
    assertTrue(admission.enterWaitingRoom(ip("10.0.0.8")));
    assertEquals(1, admission.busyRefusals());
  }

  @Test
  void strangersFromOneNetworkLeaveHandshakeSlotsForOthers() throws Exception {
    List<Admission.Slot> slots = new ArrayList<>();
    for (int host = 1; host <= 10; host++) {
      for (int i = 0; i < Admission.PER_ADDRESS; i++) {
        Admission.Slot slot = admission.startHandshake(ip("10.0.0." + host));
        if (slot != null) {
          slots.add(slot);
        }
      }
    }
    assertEquals(Admission.STRANGERS_PER_NETWORK, slots.size(), "a /24 of strangers is capped");
    assertNotNull(admission.startHandshake(ip("10.0.1.1")), "another network still gets in");
  }

  @Test
  void anAddressThatAuthenticatedRecentlyGetsASlotWhileStrangersFillTheirs() throws Exception {
    Admission.Slot first = admission.startHandshake(ip("192.168.1.20"));
    admission.endHandshake(first, true);
    for (int net = 0; net < 16; net++) {
      for (int i = 0; i < Admission.PER_ADDRESS * 4; i++) {
        admission.startHandshake(ip("10." + net + "." + (i % 4) + ".1"));
      }
    }
    assertNull(admission.startHandshake(ip("172.16.0.1")), "the strangers' share is full");
    assertNotNull(admission.startHandshake(ip("192.168.1.20")), "a known worker gets in");
  }

  @Test
  void authenticatedConnectionsAreCappedPerAddress() throws Exception {
    for (int i = 0; i < Admission.CONNECTIONS_PER_ADDRESS; i++) {
      assertTrue(admission.openConnection(ip("10.0.0.7")));
    }
    assertFalse(admission.openConnection(ip("10.0.0.7")));
    admission.closeConnection(ip("10.0.0.7"));
    assertTrue(admission.openConnection(ip("10.0.0.7")));
  }
}
