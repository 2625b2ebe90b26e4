package org.rmiq.cli;

import java.time.Duration;
import org.rmiq.util.Durations;

/** Reads duration flags ({@code 500ms}, {@code 10s}, {@code 2m}) for picocli. */
public final class DurationConverter implements picocli.CommandLine.ITypeConverter<Duration> {
  @Override
  public Duration convert(String value) {
    try {
      return Durations.parse(value);
    } catch (IllegalArgumentException e) {
      throw new picocli.CommandLine.TypeConversionException(e.getMessage());
    }
  }
}
