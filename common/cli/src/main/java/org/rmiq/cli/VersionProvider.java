package org.rmiq.cli;

/** The version picocli prints for {@code -V}: the jar's Implementation-Version. */
public final class VersionProvider implements picocli.CommandLine.IVersionProvider {
  @Override
  public String[] getVersion() {
    String version = VersionProvider.class.getPackage().getImplementationVersion();
    return new String[] {
      "rmiq " + (version == null ? "(development build)" : version) + ", Java " + Runtime.version()
    };
  }
}
