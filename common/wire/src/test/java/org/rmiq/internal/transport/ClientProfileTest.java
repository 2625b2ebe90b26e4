package org.rmiq.internal.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rmiq.net.HostPort;
import org.rmiq.net.TeacherKey;
import org.rmiq.net.Token;

/**
 * Profiles are keys: of a worker's links (one per master, reached one way) and, inside RMI's
 * endpoint table, of a bootstrap socket factory. Their equality is written out (see the class), so
 * it is checked here component by component.
 */
class ClientProfileTest {
  private static final HostPort MASTER = new HostPort("10.0.0.5", 5000);
  private static final ClientProfile BASE = ClientProfile.of(MASTER, Token.of("class-code-one"));

  @Test
  void profilesWithTheSameComponentsAreEqualWithTheSameHash() {
    ClientProfile same =
        ClientProfile.of(new HostPort("10.0.0.5", 5000), Token.of("class-code-one"));
    assertEquals(BASE, same);
    assertEquals(BASE.hashCode(), same.hashCode());
    TeacherKey key = TeacherKey.generate();
    assertEquals(BASE.withTeacherKey(key), same.withTeacherKey(key));
    assertEquals(BASE.withTeacherKey(key).hashCode(), same.withTeacherKey(key).hashCode());
  }

  @Test
  void eachComponentTellsProfilesApart() {
    List<ClientProfile> others =
        List.of(
            ClientProfile.of(new HostPort("10.0.0.6", 5000), Token.of("class-code-one")),
            ClientProfile.of(new HostPort("10.0.0.5", 5001), Token.of("class-code-one")),
            ClientProfile.of(MASTER, Token.of("class-code-two")),
            BASE.withTeacherKey(TeacherKey.generate()),
            BASE.withTimeouts(Duration.ofSeconds(11), Duration.ofSeconds(30)),
            BASE.withTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(31)),
            new ClientProfile(
                MASTER,
                Token.of("class-code-one"),
                null,
                Duration.ofSeconds(10),
                Duration.ofSeconds(30),
                Duration.ofSeconds(6),
                false),
            BASE.withPlaintext(true));
    for (ClientProfile other : others) {
      assertNotEquals(BASE, other, other::toString);
      assertNotEquals(other, BASE, other::toString);
    }
    assertNotEquals(BASE, null);
    assertNotEquals(BASE, "ClientProfile[10.0.0.5:5000]");
  }

  @Test
  void hostPortsAreEqualByHostAndPort() {
    assertEquals(MASTER, new HostPort("10.0.0.5", 5000));
    assertEquals(MASTER.hashCode(), new HostPort("10.0.0.5", 5000).hashCode());
    assertNotEquals(MASTER, new HostPort("10.0.0.5", 5001));
    assertNotEquals(MASTER, new HostPort("10.0.0.50", 5000));
  }
}
