package org.rmiq.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import org.rmiq.client.MasterClient;
import org.rmiq.net.HostPort;
import org.rmiq.net.Token;
import picocli.CommandLine.Model.CommandSpec;

/**
 * How a command reaches a master, shared by the worker, the status command and the submitter: the
 * address, the token ({@code --token-file}, else RMIQ_TOKEN, else this machine's class token) and
 * whether the connection is encrypted.
 */
public final class MasterAccess {
  /** The master's address ({@code HOST:PORT}). */
  public String address;

  /** {@code --token-file}. */
  public Path tokenFile;

  /** {@code --insecure-plaintext}. */
  public boolean plaintext;

  /** Adds {@code HOST:PORT} (the first positional parameter) and these options to {@code spec}. */
  public void addTo(CommandSpec spec) {
    spec.addPositional(
        CommandModel.parameter(String.class, v -> address = v)
            .index("0")
            .paramLabel("HOST:PORT")
            .arity("0..1")
            .description("The master's address, e.g. 192.168.1.20:5000.")
            .build());
    spec.addOption(
        CommandModel.option(Path.class, v -> tokenFile = v, "--token-file")
            .paramLabel("FILE")
            .description("Read the token from FILE (it wins over RMIQ_TOKEN).")
            .build());
    spec.addOption(
        CommandModel.flag(v -> plaintext = v, "--insecure-plaintext")
            .description(
                "Talk to a master started with --insecure-plaintext: no encryption after the"
                    + " handshake (for measurements only).")
            .build());
  }

  /** Where the token came from, once {@link #token} has run. */
  public String tokenSource = "";

  /**
   * The master's address.
   *
   * @throws IllegalArgumentException naming the bad address
   */
  public HostPort master() {
    return HostPort.parse(address);
  }

  /**
   * The token to prove; prints its warnings on {@code err}.
   *
   * @throws IllegalArgumentException when there is none, saying how to give one
   */
  public Token token(Map<String, String> env, PrintStream err, String command) {
    TokenSource token = TokenSource.forClient(env, tokenFile);
    token.warnings().forEach(w -> err.println(command + ": warning: " + w));
    tokenSource = token.source();
    return token.token();
  }

  /**
   * A client for the master, proving the token.
   *
   * @throws IllegalArgumentException naming the bad address or the missing token
   */
  public MasterClient.Builder client(Map<String, String> env, PrintStream err, String command) {
    HostPort master = master();
    return MasterClient.builder(master, token(env, err, command)).plaintext(plaintext);
  }
}
