package org.rmiq.cli.master.launch;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.rmiq.cli.CommandModel;
import org.rmiq.cli.DurationConverter;
import org.rmiq.cli.SizeConverter;
import org.rmiq.cli.master.job.JobKinds;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code run-master.sh}'s command line ({@link CommandModel}): its options in the order the help
 * lists them, written into a {@link MasterCommand}'s fields. The help ends with the jobs ({@link
 * JobKinds#USAGE}: one list for the help and the session's {@code help}, not two copies) and {@link
 * #FOOTER}.
 */
final class MasterModel {
  private MasterModel() {}

  private static final List<String> DESCRIPTION =
      List.of(
          "Starts an rmiq master: queues the JOB's tasks, serves them to workers over one"
              + " authenticated, encrypted port, and prints every result as it arrives. With"
              + " --session it runs no job of its own and stays up: jobs are typed at its prompt or"
              + " sent with rmiq-submit.sh, and run one after another on the same workers.",
          "");

  /** What the help prints after the jobs. */
  private static final List<String> FOOTER =
      List.of(
          "  (no job)              the classic demo: square 10 random numbers, or,",
          "                        with --journal, resume the job it holds",
          "  retry-failed          with --journal: run its last job's failed tasks again",
          "",
          "Token: --token-file, else RMIQ_TOKEN, else this machine's class token (made at",
          "first use, kept in ~/.config/rmiq/token); the banner prints the join commands.",
          "",
          "Exit codes: 0 every task succeeded; 1 some failed; 2 bad usage or input;",
          "3 timed out (no result for --timeout while workers were connected, or no",
          "worker within --wait-for-workers); 4 could not start (e.g. port in use);",
          "5 could not write a file (--out, --journal, --collect: e.g. a full disk);",
          "130 interrupted (Ctrl-C).");

  static CommandSpec of(MasterCommand command) {
    List<String> footer = new ArrayList<>(JobKinds.USAGE);
    footer.addAll(FOOTER);
    CommandSpec spec = CommandModel.command(command, "run-master.sh", DESCRIPTION, footer);
    spec.usageMessage().footerHeading("%nJobs:%n");
    spec.addPositional(
        CommandModel.words(() -> command.words, v -> command.words = v)
            .paramLabel("JOB")
            .arity("0..*")
            .description("The job and its arguments.")
            .build());
    command.job.addTo(spec);
    spec.addOption(
        CommandModel.flag(v -> command.session = v, "--session")
            .description(
                "Run no job of its own: stay up (until Ctrl-C, SIGTERM or quit) and run the jobs typed"
                    + " at the prompt or sent with rmiq-submit.sh, one after another.")
            .build());
    spec.addOption(
        CommandModel.flag(v -> command.linger = v, "--linger")
            .description(
                "After the job, keep the status page (and the workers' master) up until Ctrl-C, to"
                    + " discuss the results.")
            .build());
    spec.addOption(
        CommandModel.option(int.class, v -> command.port = v, "-p", "--port")
            .paramLabel("N")
            .defaultValue("5000")
            .description("The port for workers (registry and service). Default: ${DEFAULT-VALUE}.")
            .build());
    spec.addOption(
        CommandModel.option(String.class, v -> command.host = v, "--host")
            .paramLabel("ADDRESS")
            .description("The address to print in the join command (default: this machine's).")
            .build());
    spec.addOption(
        CommandModel.option(Path.class, v -> command.tokenFile = v, "--token-file")
            .paramLabel("FILE")
            .description(
                "Read the token from FILE (it wins over RMIQ_TOKEN). Default: RMIQ_TOKEN, else this"
                    + " machine's class token, made at first use.")
            .build());
    spec.addOption(
        CommandModel.flag(v -> command.newToken = v, "--new-token")
            .description(
                "Replace this machine's class token with a new one (workers then need the new one).")
            .build());
    spec.addOption(
        CommandModel.flag(v -> command.newTeacherKey = v, "--new-teacher-key")
            .description(
                "Replace this machine's teacher key with a new one: copies of the old one stop"
                    + " submitting, and workers started with the old --accept-code-from refuse this"
                    + " master's code until they get the new fingerprint.")
            .build());
    spec.addOption(
        CommandModel.flag(v -> command.studentJobs = v, "--student-jobs")
            .description(
                "With --session: let holders of the class code submit jobs of the built-in kinds"
                    + " (square, sleep, sum, wordcount, download), one queued per computer, always"
                    + " after the teacher's. Without it, submitting needs the teacher key.")
            .build());
    spec.addOption(
        CommandModel.option(Duration.class, v -> command.lease = v, "--lease")
            .paramLabel("DURATION")
            .defaultValue("10s")
            .converters(new DurationConverter())
            .description(
                "Re-queue a worker's tasks when it is silent this long. Default: ${DEFAULT-VALUE}.")
            .build());
    spec.addOption(
        CommandModel.option(Path.class, v -> command.journal = v, "--journal")
            .paramLabel("FILE")
            .description(
                "Record jobs in this SQLite file; run again with it (and the same job, or none) to"
                    + " resume after a crash or a Ctrl-C, or with the job retry-failed. A session"
                    + " keeps its unfinished jobs in it when it ends, and resumes every unfinished job"
                    + " it holds.")
            .build());
    spec.addOption(
        CommandModel.option(Path.class, v -> command.plugins = v, "--plugins")
            .paramLabel("DIR")
            .description(
                "Offer the plugin jars in DIR to workers started with --accept-code, which fetch,"
                    + " check and load them.")
            .build());
    spec.addOption(
        CommandModel.flag(v -> command.insecurePlaintext = v, "--insecure-plaintext")
            .description(
                "Do not encrypt connections after the handshake (for measurements only; workers need"
                    + " the flag too). Default: TLS 1.3, nothing to set up.")
            .build());
    spec.addOption(
        CommandModel.option(Path.class, v -> command.collect = v, "--collect")
            .paramLabel("DIR")
            .description(
                "Have workers send each downloaded file here too (in chunks, SHA-256 checked);"
                    + " created if missing.")
            .build());
    spec.addOption(
        CommandModel.option(long.class, v -> command.collectMaxBytes = v, "--collect-max-bytes")
            .paramLabel("SIZE")
            .defaultValue("100MB")
            .converters(new SizeConverter())
            .description("Refuse collected files larger than SIZE. Default: ${DEFAULT-VALUE}.")
            .build());
    spec.addOption(
        CommandModel.option(Long.class, v -> command.collectMaxTotal = v, "--collect-max-total")
            .paramLabel("SIZE")
            .converters(new SizeConverter())
            .description(
                "Refuse collected files once they (and unfinished ones) take SIZE. Default: half the"
                    + " free space of the --collect folder's disk.")
            .build());
    spec.addOption(
        CommandModel.option(Path.class, v -> command.serve = v, "--serve")
            .paramLabel("DIR")
            .description(
                "Serve the files of DIR over HTTP (read-only, no hidden files), e.g. for a download"
                    + " demo without internet; download with no URLS fetches them all.")
            .build());
    spec.addOption(
        CommandModel.option(int.class, v -> command.servePort = v, "--serve-port")
            .paramLabel("N")
            .defaultValue("8000")
            .description("The port for --serve; 0 picks a free one. Default: ${DEFAULT-VALUE}.")
            .build());
    spec.addOption(
        CommandModel.option(int.class, v -> command.statusPort = v, "--status-port")
            .paramLabel("N")
            .defaultValue("8080")
            .description(
                "Serve the live status page (and /api/status, /metrics) on this port; 0 picks a free"
                    + " one. Default: ${DEFAULT-VALUE}.")
            .build());
    spec.addOption(
        CommandModel.option(String.class, v -> command.statusBind = v, "--status-bind")
            .paramLabel("ADDRESS")
            .description(
                "Serve the status page on this address only, e.g. 127.0.0.1 to keep it on this"
                    + " machine. Default: every address.")
            .build());
    spec.addOption(
        CommandModel.flag(v -> command.noStatus = v, "--no-status")
            .description("Do not serve the status page.")
            .build());
    spec.addOption(
        CommandModel.flag(v -> command.quiet = v, "-q", "--quiet")
            .description("Print only warnings, errors and the summary.")
            .build());
    spec.addOption(
        CommandModel.flag(v -> command.verbose = v, "-v", "--verbose")
            .description("Print debugging detail.")
            .build());
    return spec;
  }
}
