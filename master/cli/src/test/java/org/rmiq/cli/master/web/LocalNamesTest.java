package org.rmiq.cli.master.web;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.util.Collections;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** A page of this machine answers to its own names only (DNS rebinding is refused). */
class LocalNamesTest {
  private final Predicate<String> local = LocalNames.of("Lab-Master.example");

  @Test
  void loopbackNamesAndTheTeachersHostAreThisMachine() {
    assertTrue(local.test("localhost"));
    assertTrue(local.test("127.0.0.1"));
    assertTrue(local.test("[::1]"));
    assertTrue(local.test("lab-master.example"), "the --host, in any case the browser sends");
    assertTrue(local.test("app.localhost"), "a .localhost name never leaves the machine");
  }

  @Test
  void everyAddressOfEveryInterfaceIsThisMachine() throws Exception {
    for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      for (InetAddress address : Collections.list(nic.getInetAddresses())) {
        String text = address.getHostAddress();
        if (text.contains(":")) {
          assertTrue(local.test("[" + text + "]"), "IPv6 " + text + " as a browser writes it");
        } else {
          assertTrue(local.test(text), text);
        }
      }
    }
  }

  @Test
  void aNameOfSomeoneElsesIsRefused() {
    assertFalse(local.test("evil.example"));
    assertFalse(local.test("lab-master.example.evil.example"));
    assertFalse(local.test("localhost.evil.example"));
    assertFalse(local.test("10.255.255.254"));
  }
}
