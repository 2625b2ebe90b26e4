package org.rmiq.cli.master.web;

import com.google.common.html.HtmlEscapers;
import java.nio.charset.StandardCharsets;
import org.rmiq.util.RmiqVersion;

/**
 * {@code /join}: the page a projector shows and a student opens: the master's address, the Java it
 * needs and how to check it, and one line per kind of computer that downloads this master's own
 * worker, checks its SHA-256 and starts it. It never shows the class code: the page is for anyone
 * on the network, the code is on the board.
 */
final class JoinPage {
  private JoinPage() {}

  static byte[] render(JoinLines lines) {
    StringBuilder html = new StringBuilder();
    html.append("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<title>Join the rmiq class</title>\n")
        .append("<link rel=\"stylesheet\" href=\"/status.css\">\n</head>\n<body class=\"join\">\n")
        .append("<h1>Join the class</h1>\n")
        .append("<p class=\"big\">Master: <code id=\"master\">")
        .append(escape(lines.master()))
        .append("</code></p>\n")
        .append("<h2>1. Check Java</h2>\n<p>Type <code>java -version</code>: it must say 17 or")
        .append(" newer. No Java, or an older one? Install a JDK 17 or newer (e.g. Temurin from")
        .append(" adoptium.net), then open a new terminal.</p>\n")
        .append("<h2>2. Paste the line for your computer</h2>\n")
        .append("<p>It downloads this master's worker (rmiq ")
        .append(escape(RmiqVersion.get()))
        .append("), checks that it arrived whole (SHA-256 <code id=\"sha256\">")
        .append(escape(lines.sha256()))
        .append("</code>) and starts it. Type the class code when it asks: it is on the board.")
        .append(" (Or set <code>RMIQ_TOKEN</code> to it first.)</p>\n");
    for (String[] line : lines.all()) {
      html.append("<h3>")
          .append(escape(line[0]))
          .append("</h3>\n<pre class=\"line\">")
          .append(escape(line[1]))
          .append("</pre>\n");
    }
    html.append("<p>Already have rmiq? <code>scripts/run-worker.sh ")
        .append(escape(lines.master()))
        .append("</code>. The worker jar alone: <a href=\"/rmiq-worker.jar\">rmiq-worker.jar</a>.")
        .append(" The class's progress: <a href=\"/\">the status page</a>.</p>\n")
        .append("</body>\n</html>\n");
    return html.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** The page of a master built without its worker jar: how to join with a copy of rmiq. */
  static byte[] withoutJar(String master) {
    return ("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            + "<title>Join the rmiq class</title>\n<link rel=\"stylesheet\" href=\"/status.css\">\n"
            + "</head>\n<body class=\"join\">\n<h1>Join the class</h1>\n<p>Master: <code>"
            + escape(master)
            + "</code></p>\n<p>This master was built without its worker jar: start a worker from a"
            + " copy of rmiq, <code>scripts/run-worker.sh "
            + escape(master)
            + "</code>.</p>\n</body>\n</html>\n")
        .getBytes(StandardCharsets.UTF_8);
  }

  private static String escape(String text) {
    return HtmlEscapers.htmlEscaper().escape(text);
  }
}
