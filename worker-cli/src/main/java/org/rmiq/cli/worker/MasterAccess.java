package org.rmiq.cli.worker;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import org.rmiq.internal.transport.ClientProfile;
import org.rmiq.internal.transport.Tls;
import org.rmiq.net.HostPort;
import org.rmiq.net.Token;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * How a command reaches a master, shared by the worker and the status command: the address, the
 * token (from RMIQ_TOKEN or {@code --token-file}) and optional TLS.
 */
final class MasterAccess {
  @Parameters(
      index = "0",
      paramLabel = "HOST:PORT",
      arity = "0..1",
      description = "The master's address, e.g. 192.168.1.20:5000.")
  String address;

  @Option(
      names = "--token-file",
      paramLabel = "FILE",
      description = "Read the token from FILE (used when RMIQ_TOKEN is not set).")
  Path tokenFile;

  @Option(names = "--tls", description = "Connect over TLS 1.3 to a master started with --tls.")
  boolean tls;

  @Option(
      names = "--tls-truststore",
      paramLabel = "FILE",
      defaultValue = "tls/workers.p12",
      description =
          "The master's certificate for --tls (workers.p12 from make-tls.sh)."
              + " Default: ${DEFAULT-VALUE}.")
  Path tlsTruststore;

  /**
   * The profile to dial the master with; warns on {@code err} about a token file others can read.
   *
   * @throws IllegalArgumentException naming the bad address, the missing token or TLS file
   */
  ClientProfile profile(Map<String, String> env, PrintStream err, String command) {
    HostPort master = HostPort.parse(address);
    Token token =
        Token.load(env, tokenFile)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "no token: set RMIQ_TOKEN or give --token-file FILE; the master prints the token (and"
                            + " the whole join command) when it starts"));
    if (tokenFile != null && !env.containsKey(Token.ENV)) {
      Token.permissionWarning(tokenFile).ifPresent(w -> err.println(command + ": warning: " + w));
    }
    ClientProfile profile = ClientProfile.of(master, token);
    return tls ? profile.withTls(Tls.forWorker(tlsTruststore)) : profile;
  }
}
