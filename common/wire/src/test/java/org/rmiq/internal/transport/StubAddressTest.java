package org.rmiq.internal.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.rmi.Remote;
import java.rmi.server.UnicastRemoteObject;
import org.junit.jupiter.api.Test;

/** The address a master's stubs name, as the master reads it and a client receives it. */
class StubAddressTest {
  interface Nothing extends Remote {}

  @Test
  void theAddressIsReadFromAnExportedObjectsStub() throws Exception {
    Nothing object = new Nothing() {};
    assertNamesItsOwnAddress(object, UnicastRemoteObject.exportObject(object, 0));
  }

  /** The address read from {@code stub} is the one the stub prints, and then unexports it. */
  private static void assertNamesItsOwnAddress(Nothing object, Remote stub) throws Exception {
    try {
      StubAddress address = StubAddress.of(stub);
      assertFalse(address.host().isEmpty(), address.toString());
      assertTrue(stub.toString().contains(address.host() + ":" + address.port()), stub::toString);
    } finally {
      UnicastRemoteObject.unexportObject(object, true);
    }
  }

  /**
   * A client socket factory in the stub makes it a {@code UnicastRef2}, as a master's stubs are.
   */
  static final class PlainSockets implements java.rmi.server.RMIClientSocketFactory, Serializable {
    private static final long serialVersionUID = 1L;

    @Override
    public java.net.Socket createSocket(String host, int port) throws IOException {
      return new java.net.Socket(host, port);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof PlainSockets;
    }

    @Override
    public int hashCode() {
      return 1;
    }
  }

  @Test
  void theAddressIsReadFromAStubWithSocketFactories() throws Exception {
    Nothing object = new Nothing() {};
    assertNamesItsOwnAddress(
        object, UnicastRemoteObject.exportObject(object, 0, new PlainSockets(), null));
  }

  @Test
  void anythingButAStubHasNoAddress() {
    assertEquals(StubAddress.NONE, StubAddress.of(new Nothing() {}));
  }

  @Test
  void anAddressCrossesTheWireAsItWasSent() throws IOException {
    for (StubAddress sent :
        new StubAddress[] {
          StubAddress.NONE,
          new StubAddress("127.0.1.1", 5000),
          new StubAddress("fe80::1%eth0", 65535),
          new StubAddress("lab-pc-07.school.example", 1)
        }) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      sent.write(new DataOutputStream(bytes));
      assertEquals(
          sent,
          StubAddress.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()))));
    }
  }

  @Test
  void aHostWithCharactersNoHostHasIsAMalformedHandshake() {
    // a master holding the class code is still a stranger: it may not put a terminal's escape
    // codes (or anything else) where RMI would print a host
    byte[] name = "evil\u001b[2J".getBytes(StandardCharsets.US_ASCII);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    bytes.write(name.length);
    bytes.writeBytes(name);
    bytes.write(0x13);
    bytes.write(0x88);
    HandshakeException e =
        assertThrows(
            HandshakeException.class,
            () ->
                StubAddress.read(
                    new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()))));
    assertEquals(HandshakeException.Reason.MALFORMED, e.reason());
    assertThrows(IllegalArgumentException.class, () -> new StubAddress("a".repeat(254), 1));
    assertThrows(IllegalArgumentException.class, () -> new StubAddress("h", 65536));
  }

  @Test
  void aFrameCutShortIsAnError() {
    byte[] cut = {5, 'a', 'b'};
    assertThrows(
        IOException.class,
        () -> StubAddress.read(new DataInputStream(new ByteArrayInputStream(cut))));
  }
}
