package org.rmiq.cli.master.web;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import org.rmiq.cli.master.ExitCodes;
import org.rmiq.cli.master.launch.Banner;
import org.rmiq.util.Printable;

/**
 * {@code scripts/lab-web-server.sh [PORT]}: a web server for the lab's hostile-download step that
 * answers every path, {@code ../} and {@code %2F} tricks included, with a line naming the path it
 * was asked for. rmiq's own {@code --serve} refuses such paths; this server lets a class see what a
 * worker does with the answer: it saves it under a safe name inside its download folder.
 */
public final class AnyPathServer {
  private AnyPathServer() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 1 || (args.length == 1 && args[0].startsWith("-"))) {
      System.err.println(
          "lab-web-server: usage: scripts/lab-web-server.sh [PORT]   (default 8001; every path"
              + " answers with a line naming it)");
      System.exit(args.length == 1 && (args[0].equals("-h") || args[0].equals("--help")) ? 0 : 2);
    }
    int port = args.length == 1 ? portOrExit(args[0]) : 8001;
    HttpLite http;
    try {
      http =
          HttpLite.start(
              (InetAddress) null,
              port,
              "rmiq-lab-web",
              HttpLite.Limits.DEFAULT,
              request ->
                  HttpLite.Response.of(
                      200,
                      "text/plain; charset=utf-8",
                      ("you asked for " + request.path() + "\n").getBytes(StandardCharsets.UTF_8)));
    } catch (IOException e) {
      System.err.println(
          "lab-web-server: cannot listen on port "
              + port
              + " ("
              + e.getMessage()
              + "); is it already in use? Give another: scripts/lab-web-server.sh 8002");
      System.exit(ExitCodes.CANNOT_START);
      return;
    }
    System.err.println(
        "lab-web-server: answering every path on port "
            + http.port()
            + " (Ctrl-C to stop); e.g. http://"
            + Banner.address(null)
            + ":"
            + http.port()
            + "/..%2F..%2Fsecret");
    new CountDownLatch(1).await(); // until Ctrl-C ends the JVM
  }

  private static int portOrExit(String word) {
    try {
      int port = Integer.parseInt(word);
      if (port >= 0 && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException notANumber) {
      // the message below says what a port looks like
    }
    System.err.println(
        "lab-web-server: '"
            + Printable.of(word)
            + "' is not a port; give a number from 0 to 65535 (0: any free port), e.g. scripts/lab-web-server.sh 8001");
    System.exit(ExitCodes.USAGE);
    return -1;
  }
}
